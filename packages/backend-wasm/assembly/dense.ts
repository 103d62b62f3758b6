// Fully connected: Y[n x units] = X[n x k] . W^T + b. W^T is packed once at compile time
// (packB reading W [units, k] transposed); X is packed per run into the part's scratch. Part
// `part` of `parts` computes a band of output columns (units), NR-aligned; each part packs X
// itself, which costs n x k copies against n x k x units / parts multiply-adds.
import { gemmColumns } from './gemm';
import { packA } from './pack';
import { NR, TILE, at, roundUp } from './layout';

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
  const band = roundUp((units + parts - 1) / parts, NR);
  const from = part * band;
  const to = min(units, from + band);
  if (from >= to) return;
  const xa = scratch + <usize>part * <usize>stride;
  packA(x, k, 1, n, k, xa);
  const bytes = (<usize>(to - from)) << 2;
  for (let b = 0; b < n; b++) {
    const row = at(out, b * units + from);
    if (bias) memory.copy(row, at(bias, from), bytes);
    else memory.fill(row, 0, bytes);
  }
  gemmColumns(xa, wp, out, units, n, units, k, xa + <usize>stride - TILE, from, to);
}
