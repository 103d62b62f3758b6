// Packing into the panel layouts the micro-kernel streams through.
//
// Packed A (m x k): for each depth block p0 (depthBlock(k) deep), ceil(m / MR) panels, each kc x MR values
// (row index fastest), at element offset p0 * mPad + i0 * kc. Packed B (k x n): for each depth
// block, ceil(n / NR) panels of kc x NR values at p0 * nPad + j0 * kc. Rows or columns past the
// edge are zero, so the micro-kernel always reads whole panels.
import { MR, NR, at, depthBlock, roundUp } from './layout';

/** Packs A, element (i, p) read at src[i * rs + p * cs]. */
export function packA(src: usize, rs: i32, cs: i32, m: i32, k: i32, dst: usize): void {
  const mp = roundUp(m, MR);
  const kb = depthBlock(k);
  for (let p0 = 0; p0 < k; p0 += kb) {
    const kc = min(kb, k - p0);
    for (let i0 = 0; i0 < mp; i0 += MR) {
      let d = at(dst, p0 * mp + i0 * kc);
      for (let p = p0; p < p0 + kc; p++) {
        for (let r = 0; r < MR; r++) {
          const i = i0 + r;
          store<f32>(d, i < m ? load<f32>(at(src, i * rs + p * cs)) : 0);
          d += 4;
        }
      }
    }
  }
}

/** Packs B, element (p, j) read at src[p * rs + j * cs]. */
export function packB(src: usize, rs: i32, cs: i32, k: i32, n: i32, dst: usize): void {
  const np = roundUp(n, NR);
  const kb = depthBlock(k);
  for (let p0 = 0; p0 < k; p0 += kb) {
    const kc = min(kb, k - p0);
    for (let j0 = 0; j0 < np; j0 += NR) {
      let d = at(dst, p0 * np + j0 * kc);
      const full = cs == 1 && j0 + NR <= n;
      for (let p = p0; p < p0 + kc; p++) {
        if (full) {
          const s = at(src, p * rs + j0);
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
        } else {
          for (let c = 0; c < NR; c++) {
            const j = j0 + c;
            store<f32>(at(d, c), j < n ? load<f32>(at(src, p * rs + j * cs)) : 0);
          }
        }
        d += NR << 2;
      }
    }
  }
}
