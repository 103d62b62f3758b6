// out = a + b elementwise (n-ary adds chain this, reading `out` as `a`).
import { at } from './layout';

export function add(a: usize, b: usize, out: usize, len: i32): void {
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    v128.store(at(out, i), f32x4.add(v128.load(at(a, i)), v128.load(at(b, i))));
  }
  for (; i < len; i++) store<f32>(at(out, i), load<f32>(at(a, i)) + load<f32>(at(b, i)));
}
