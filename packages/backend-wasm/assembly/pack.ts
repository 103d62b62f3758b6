// Packing into the panel layouts the micro-kernel streams through.
//
// Packed A (m x k): for each depth block p0 (depthBlock(k) deep), ceil(m / MR) panels, each
// kc x MR values (row index fastest), at element offset p0 * mPad + i0 * kc. Packed B (k x n):
// for each depth block, ceil(n / NR) panels of kc x NR values at p0 * nPad + j0 * kc. Rows or
// columns past the edge are zero, so the micro-kernel always reads whole panels.
import { MR, NR, at, depthBlock, roundUp } from './layout';
import { Transpose } from './transpose';

/** Packs A, element (i, p) read at src[i * rs + p * cs]. */
export function packA(src: usize, rs: i32, cs: i32, m: i32, k: i32, dst: usize): void {
  const mp = roundUp(m, MR);
  const kb = depthBlock(k);
  for (let p0 = 0; p0 < k; p0 += kb) {
    const kc = min(kb, k - p0);
    for (let i0 = 0; i0 < mp; i0 += MR) {
      let d = at(dst, p0 * mp + i0 * kc);
      let p = p0;
      if (cs == 1 && i0 + MR <= m) {
        // Rows contiguous: four rows by four columns at a time, transposed in registers.
        const r0 = at(src, i0 * rs);
        const r1 = at(r0, rs);
        const r2 = at(r1, rs);
        const r3 = at(r2, rs);
        for (; p + 4 <= p0 + kc; p += 4) {
          const o = (<usize>p) << 2;
          const a = v128.load(r0 + o);
          const b = v128.load(r1 + o);
          const c = v128.load(r2 + o);
          const e = v128.load(r3 + o);
          // Column q of the 4 x 4 block is step q + p of the panel.
          Transpose.store(a, b, c, e, d, 16);
          d += 64;
        }
      }
      if (rs == 1 && i0 + MR <= m) {
        // Columns contiguous (A read transposed): each step of depth is one vector.
        for (; p < p0 + kc; p++) {
          v128.store(d, v128.load(at(src, i0 + p * cs)));
          d += 16;
        }
      }
      for (; p < p0 + kc; p++) {
        for (let r = 0; r < MR; r++) {
          const i = i0 + r;
          store<f32>(d, i < m ? load<f32>(at(src, i * rs + p * cs)) : 0);
          d += 4;
        }
      }
    }
  }
}

/**
 * Four columns of four floats, `cs` floats apart from `src` on, stored as four rows of a B
 * panel (NR floats apart) from `dst` on.
 */
function transpose4(src: usize, cs: i32, dst: usize): void {
  const step = (<usize>cs) << 2;
  const a = v128.load(src);
  const b = v128.load(src + step);
  const c = v128.load(src + 2 * step);
  const e = v128.load(src + 3 * step);
  Transpose.store(a, b, c, e, dst, NR * 4);
}

/**
 * Packs columns [from, to) of B (k x n), element (p, j) read at src[p * rs + (j - from) * cs];
 * `from` is a multiple of NR. A weight too large to stage at once is packed in column bands.
 */
export function packB(
  src: usize,
  rs: i32,
  cs: i32,
  k: i32,
  n: i32,
  dst: usize,
  from: i32,
  to: i32,
): void {
  const np = roundUp(n, NR);
  const kb = depthBlock(k);
  const end = min(roundUp(to, NR), np);
  // Whole panels: those ending at or before `to`.
  const whole = from + ((to - from) / NR) * NR;
  for (let p0 = 0; p0 < k; p0 += kb) {
    const kc = min(kb, k - p0);
    const panel = (<usize>(kc * NR)) << 2;
    if (cs == 1) {
      // Rows contiguous: read each row once, front to back, and deal its runs of NR values
      // out to the panels (a panel-by-panel walk would stride through B once per panel).
      for (let p = p0; p < p0 + kc; p++) {
        let s = at(src, p * rs);
        let d = at(dst, p0 * np + from * kc + (p - p0) * NR);
        const stop = s + ((<usize>(whole - from)) << 2);
        while (s < stop) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
          s += NR << 2;
          d += panel;
        }
      }
    }
    const first = cs == 1 ? whole : from;
    for (let j0 = first; j0 < end; j0 += NR) {
      let d = at(dst, p0 * np + j0 * kc);
      let p = p0;
      if (rs == 1 && j0 + NR <= to) {
        // Columns contiguous (B read transposed): four steps of depth of eight columns at a time,
        // two 4 x 4 blocks transposed in registers.
        const c0 = at(src, (j0 - from) * cs);
        for (; p + 4 <= p0 + kc; p += 4) {
          const o = (<usize>p) << 2;
          transpose4(c0 + o, cs, d);
          transpose4(c0 + o + ((<usize>(4 * cs)) << 2), cs, d + 16);
          d += 4 * NR * 4;
        }
      }
      for (; p < p0 + kc; p++) {
        for (let c = 0; c < NR; c++) {
          const j = j0 + c;
          store<f32>(at(d, c), j < to ? load<f32>(at(src, p * rs + (j - from) * cs)) : 0);
        }
        d += NR << 2;
      }
    }
  }
}
