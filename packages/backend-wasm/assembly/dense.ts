// Fully connected: Y[n x units] = X[n x k] . W^T + b. W^T is packed once at compile time
// (packB reading W [units, k] transposed); X is packed per run into `xa`.
import { gemm } from './gemm';
import { packA } from './pack';
import { at } from './layout';

export function dense(
  x: usize,
  wp: usize,
  bias: usize,
  out: usize,
  xa: usize,
  tmp: usize,
  n: i32,
  k: i32,
  units: i32,
): void {
  packA(x, k, 1, n, k, xa);
  for (let b = 0; b < n; b++) {
    const row = at(out, b * units);
    if (bias) memory.copy(row, bias, (<usize>units) << 2);
    else memory.fill(row, 0, (<usize>units) << 2);
  }
  gemm(xa, wp, out, units, n, units, k, tmp);
}
