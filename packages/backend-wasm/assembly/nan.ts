// The index of the first NaN or ±Inf among `len` floats at `x`, or -1: the session refuses
// non-finite inputs, as the CPU backend does, and scanning here is several times faster than in
// JavaScript. `v - v` is 0 for every finite v and NaN for NaN and both infinities.
import { at } from './layout';

export function firstNonFinite(x: usize, len: i32): i32 {
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const v = v128.load(at(x, i));
    const d = f32x4.sub(v, v);
    if (v128.any_true(f32x4.ne(d, d))) break;
  }
  for (; i < len; i++) {
    const v = load<f32>(at(x, i));
    const d = v - v;
    if (d != d) return i;
  }
  return -1;
}
