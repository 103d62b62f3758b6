// Data movement. `copy` serves the ops that keep the element order (flatten, reshape, dropout at
// inference); `copyChunks` places one concat input: `outer` chunks of `chunk` floats, source
// contiguous, destination every `stride` floats.
import { at } from './layout';

export function copy(src: usize, dst: usize, len: i32): void {
  memory.copy(dst, src, (<usize>len) << 2);
}

export function copyChunks(src: usize, dst: usize, outer: i32, chunk: i32, stride: i32): void {
  for (let o = 0; o < outer; o++) {
    memory.copy(at(dst, o * stride), at(src, o * chunk), (<usize>chunk) << 2);
  }
}
