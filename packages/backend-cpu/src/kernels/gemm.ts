/**
 * Single-precision matrix multiply, C += A·B, in the Goto/BLIS style: both operands are first
 * packed into panels (A into MR-row panels, B into NR-column panels, each laid out k-major over
 * the full depth K), then a cache-blocked loop feeds an MR x NR register-tiled micro-kernel.
 *
 * Why packing: the micro-kernel then reads both operands with unit stride whatever the source
 * layout (transposed dense weights, im2col columns), and a weight operand can be packed once at
 * compile time and reused by every run. Panels are zero-padded to whole tiles, so the
 * micro-kernel never branches on edges; only the store of an edge tile is clipped.
 *
 * Accumulators are JavaScript numbers (float64), so sums are at least as accurate as a float32
 * loop; the result is rounded to float32 once, when stored.
 */

import { MR, NR, microKernel } from './micro-kernel.js';

export { MR, NR };
/** Depth of one cache block: an MR x KC slice of A and KC x NR slice of B stay in L1. */
const KC = 256;
/** Columns of B per cache block: a KC x NC block of packed B stays in L2. */
const NC = 512;
/** Rows of A per cache block. */
const MC = 128;

/** A, m x k, packed as ceil(m / MR) panels; panel i holds rows [i*MR, i*MR+MR) as [k][MR]. */
export interface PackedA {
  readonly rows: number;
  readonly depth: number;
  readonly data: Float32Array;
}

/** B, k x n, packed as ceil(n / NR) panels; panel j holds columns [j*NR, j*NR+NR) as [k][NR]. */
export interface PackedB {
  readonly cols: number;
  readonly depth: number;
  readonly data: Float32Array;
}

const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;

/** Floats needed to pack an m x k A (or a k x n B with MR replaced by NR). */
export const packedASize = (m: number, k: number) => roundUp(m, MR) * k;
export const packedBSize = (k: number, n: number) => roundUp(n, NR) * k;

/**
 * Packs A where element (i, p) is src[off + i*rowStride + p*colStride]. `out` may be a reused
 * scratch buffer of at least packedASize(m, k) floats.
 */
export function packA(
  m: number,
  k: number,
  src: Float32Array,
  off: number,
  rowStride: number,
  colStride: number,
  out: Float32Array = new Float32Array(packedASize(m, k)),
): PackedA {
  let o = 0;
  for (let i0 = 0; i0 < m; i0 += MR) {
    const rows = Math.min(MR, m - i0);
    for (let p = 0; p < k; p++) {
      const base = off + i0 * rowStride + p * colStride;
      for (let r = 0; r < MR; r++) out[o++] = r < rows ? src[base + r * rowStride]! : 0;
    }
  }
  return { rows: m, depth: k, data: out };
}

/** Packs B where element (p, j) is src[off + p*rowStride + j*colStride]. */
export function packB(
  k: number,
  n: number,
  src: Float32Array,
  off: number,
  rowStride: number,
  colStride: number,
  out: Float32Array = new Float32Array(packedBSize(k, n)),
): PackedB {
  let o = 0;
  for (let j0 = 0; j0 < n; j0 += NR) {
    const cols = Math.min(NR, n - j0);
    if (cols === NR && colStride === 1) {
      // The common row-major case: copy NR contiguous floats per depth step.
      for (let p = 0; p < k; p++) {
        const base = off + p * rowStride + j0;
        for (let r = 0; r < NR; r++) out[o++] = src[base + r]!;
      }
      continue;
    }
    for (let p = 0; p < k; p++) {
      const base = off + p * rowStride + j0 * colStride;
      for (let r = 0; r < NR; r++) out[o++] = r < cols ? src[base + r * colStride]! : 0;
    }
  }
  return { cols: n, depth: k, data: out };
}

/**
 * C[cOff + i*ldc + j] += sum_p A(i, p) B(p, j) for i < a.rows, j < b.cols. C must be
 * initialised by the caller (zeros, or the bias), which keeps bias addition exact and free.
 */
export function gemm(a: PackedA, b: PackedB, c: Float32Array, cOff: number, ldc: number): void {
  const m = a.rows;
  const n = b.cols;
  const k = a.depth;
  if (k !== b.depth) throw new Error(`gemm: depth mismatch, A has ${k}, B has ${b.depth}`);
  const ad = a.data;
  const bd = b.data;
  for (let jc = 0; jc < n; jc += NC) {
    const jEnd = Math.min(n, jc + NC);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      for (let ic = 0; ic < m; ic += MC) {
        const iEnd = Math.min(m, ic + MC);
        for (let j = jc; j < jEnd; j += NR) {
          const bOff = (j / NR) * k * NR + pc * NR;
          const nr = Math.min(NR, n - j);
          for (let i = ic; i < iEnd; i += MR) {
            const aOff = (i / MR) * k * MR + pc * MR;
            const mr = Math.min(MR, m - i);
            microKernel(kc, ad, aOff, bd, bOff, c, cOff + i * ldc + j, ldc, mr, nr);
          }
        }
      }
    }
  }
}
