// Fully connected: Y[n x units] = X[n x k] . W^T + b. W^T is packed once at compile time
// (packB reading W [units, k] transposed); X is packed per run into each part's scratch (n x k
// copies against n x k x units / parts multiply-adds). The output columns (units) are cut into
// NR-aligned blocks, about four per part, which the parts claim (schedule.ts).
import { gemmBlocks } from './gemm';
import { packA } from './pack';
import { NR, TILE, at, roundUp } from './layout';
import { firstBlock, nextBlock } from './schedule';

/** dense split among parts, blocks dealt out in turn (block i to part i % parts). */
export function dense(
  x: usize,
  wp: usize,
  bias: usize,
  out: usize,
  scratch: usize,
  stride: i32,
  n: i32,
  k: i32,
  units: i32,
  part: i32,
  parts: i32,
): void {
  denseBlocks(x, wp, bias, out, scratch, stride, n, k, units, 0, part, parts);
}

/** dense, its column blocks claimed through the counter word at `counter`. */
export function denseBlocks(
  x: usize,
  wp: usize,
  bias: usize,
  out: usize,
  scratch: usize,
  stride: i32,
  n: i32,
  k: i32,
  units: i32,
  counter: usize,
  part: i32,
  parts: i32,
): void {
  const cols = parts > 1 ? roundUp((units + 4 * parts - 1) / (4 * parts), NR) : units;
  const blocks = (units + cols - 1) / cols;
  const xa = scratch + <usize>part * <usize>stride;
  const tmp = xa + <usize>stride - TILE;
  let packed = false;
  for (let i = firstBlock(counter, part); i < blocks; i = nextBlock(counter, i, parts)) {
    if (!packed) packA(x, k, 1, n, k, xa);
    packed = true;
    const from = i * cols;
    const to = min(units, from + cols);
    if (bias) {
      const bytes = (<usize>(to - from)) << 2;
      for (let b = 0; b < n; b++) memory.copy(at(out, b * units + from), at(bias, from), bytes);
    }
    gemmBlocks(xa, wp, out, units, n, units, k, tmp, 0, n, from, to, bias != 0);
  }
}
