// x >= 0 ? x : alpha * x; a NaN lane fails the test and stays NaN through the multiply.
import { at } from './layout';

export function leakyRelu(x: usize, out: usize, len: i32, alpha: f32): void {
  const a = f32x4.splat(alpha);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const v = v128.load(at(x, i));
    v128.store(at(out, i), v128.bitselect(v, f32x4.mul(v, a), f32x4.ge(v, zero)));
  }
  for (; i < len; i++) {
    const v = load<f32>(at(x, i));
    store<f32>(at(out, i), v >= 0 ? v : alpha * v);
  }
}
