// max(x, 0); wasm's f32x4.max returns NaN for a NaN lane, as PyTorch's relu does.
import { at } from './layout';

export function relu(x: usize, out: usize, len: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) v128.store(at(out, i), f32x4.max(v128.load(at(x, i)), zero));
  for (; i < len; i++) {
    const v = load<f32>(at(x, i));
    store<f32>(at(out, i), v != v ? v : max(v, <f32>0));
  }
}
