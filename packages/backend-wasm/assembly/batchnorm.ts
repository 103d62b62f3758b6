// Inference batch normalisation, y = x * scale[c] + shift[c] in float64, where the session
// folded weight, bias, running statistics and eps into (scale, shift) pairs at compile time.
import { at } from './layout';

export function batchnorm(x: usize, out: usize, affine: usize, n: i32, c: i32, inner: i32): void {
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const pair = affine + ((<usize>ch) << 4);
      const scale = load<f64>(pair);
      const shift = load<f64>(pair, 8);
      const base = (b * c + ch) * inner;
      for (let i = base; i < base + inner; i++) {
        store<f32>(at(out, i), <f32>(<f64>load<f32>(at(x, i)) * scale + shift));
      }
    }
  }
}
