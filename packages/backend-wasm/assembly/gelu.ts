// GELU, float64 inside. Exact (approximate = 0): x * erfc(-x / sqrt 2) / 2. Tanh form
// (approximate = 1): x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3))).
import { erfc } from './erfc';
import { at } from './layout';

const SQRT_HALF: f64 = 0.7071067811865476;
const SQRT_2_OVER_PI: f64 = 0.7978845608028654;

export function gelu(x: usize, out: usize, len: i32, approximate: i32): void {
  for (let i = 0; i < len; i++) {
    const v = <f64>load<f32>(at(x, i));
    const y = approximate
      ? 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)))
      : 0.5 * v * erfc(-v * SQRT_HALF);
    store<f32>(at(out, i), <f32>y);
  }
}
