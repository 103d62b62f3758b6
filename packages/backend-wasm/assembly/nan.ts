// The index of the first NaN among `len` floats at `x`, or -1: the session refuses NaN inputs,
// as the CPU backend does, and scanning here is several times faster than in JavaScript.
import { at } from './layout';

export function firstNaN(x: usize, len: i32): i32 {
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const v = v128.load(at(x, i));
    if (v128.any_true(f32x4.ne(v, v))) break;
  }
  for (; i < len; i++) {
    const v = load<f32>(at(x, i));
    if (v != v) return i;
  }
  return -1;
}
