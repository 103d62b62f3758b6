// Softmax along an axis of length `len`, the tensor viewed as [outer, len, inner]. The maximum
// is subtracted first so exp cannot overflow; exponentials and sums are float64.
import { at } from './layout';

export function softmax(x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let top: f64 = -Infinity;
      for (let a = 0; a < len; a++) {
        const v = <f64>load<f32>(at(x, base + a * inner));
        top = v > top || v != v ? v : top;
      }
      let sum: f64 = 0;
      for (let a = 0; a < len; a++) sum += Math.exp(<f64>load<f32>(at(x, base + a * inner)) - top);
      for (let a = 0; a < len; a++) {
        const e = Math.exp(<f64>load<f32>(at(x, base + a * inner)) - top);
        store<f32>(at(out, base + a * inner), <f32>(e / sum));
      }
    }
  }
}
