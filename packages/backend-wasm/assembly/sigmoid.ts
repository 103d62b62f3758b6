// 1 / (1 + e^-x) in float64, rounded once.
import { at } from './layout';

export function sigmoid(x: usize, out: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const v = <f64>load<f32>(at(x, i));
    store<f32>(at(out, i), <f32>(1.0 / (1.0 + Math.exp(-v))));
  }
}
