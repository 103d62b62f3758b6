// tanh in float64, rounded once.
import { at } from './layout';

export function tanh(x: usize, out: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    store<f32>(at(out, i), <f32>Math.tanh(<f64>load<f32>(at(x, i))));
  }
}
