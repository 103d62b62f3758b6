// concat's backward: the slice of dy one input filled. In row-major layout that is `outer`
// chunks of `chunk` floats, read every `stride` floats of dy from `offset` on, written
// contiguously (the inverse of copyChunks, which places a concat input).
import { at } from '../layout';

export function concatSlice(
  dy: usize,
  out: usize,
  outer: i32,
  chunk: i32,
  stride: i32,
  offset: i32,
): void {
  for (let o = 0; o < outer; o++) {
    memory.copy(at(out, o * chunk), at(dy, o * stride + offset), (<usize>chunk) << 2);
  }
}
