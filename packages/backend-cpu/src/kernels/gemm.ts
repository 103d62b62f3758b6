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

import { MR, NR, microKernel, microKernelRow } from './micro-kernel.js';

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
  const n = b.cols;
  const k = a.depth;
  if (k !== b.depth) throw new Error(`gemm: depth mismatch, A has ${k}, B has ${b.depth}`);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      // A prepacked B panel spans the full depth: the block starts pc steps into each panel.
      const bBase = (jc / NR) * k * NR + pc * NR;
      macroKernel(a, pc, kc, b.data, bBase, k * NR, nc, c, cOff + jc, ldc);
    }
  }
}

/**
 * Writes rows [p0, p0 + kc) and columns [j0, j0 + nc) of a B operand into `out` as
 * ceil(nc / NR) panels of [kc][NR], zero-padding the columns past nc in the last panel.
 */
export type PackBlock = (p0: number, kc: number, j0: number, nc: number, out: Float32Array) => void;

/** Floats of the scratch buffer `gemmPacking` needs. */
export const blockSize = (): number => KC * NC;

/**
 * The same product as `gemm`, for a k x n B that is never materialised whole: each KC x NC
 * block is packed on demand into `scratch` (at least blockSize() floats) by `packBlock`, just
 * before the micro-kernels read it, so it is still in L2. Convolution uses this to write im2col
 * straight into panels: no column matrix, one pass over the input per block.
 */
export function gemmPacking(
  a: PackedA,
  n: number,
  packBlock: PackBlock,
  c: Float32Array,
  cOff: number,
  ldc: number,
  scratch: Float32Array,
): void {
  const k = a.depth;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packBlock(pc, kc, jc, nc, scratch);
      macroKernel(a, pc, kc, scratch, 0, kc * NR, nc, c, cOff + jc, ldc);
    }
  }
}

/**
 * One KC-deep, nc-wide block of B (panels `panelStride` floats apart from `bBase`) against all
 * rows of A, into C from cOff. The B micro-panel stays in L1 while MC/MR micro-panels of A
 * stream past it. Rows of a partial last MR panel run one at a time (see microKernelRow).
 */
function macroKernel(
  a: PackedA,
  pc: number,
  kc: number,
  bd: Float32Array,
  bBase: number,
  panelStride: number,
  nc: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  const m = a.rows;
  const k = a.depth;
  const ad = a.data;
  const fullRows = m - (m % MR);
  for (let ic = 0; ic < m; ic += MC) {
    const iEnd = Math.min(m, ic + MC);
    for (let j = 0; j < nc; j += NR) {
      const bOff = bBase + (j / NR) * panelStride;
      const nr = Math.min(NR, nc - j);
      let i = ic;
      for (; i < iEnd && i < fullRows; i += MR) {
        const aOff = (i / MR) * k * MR + pc * MR;
        microKernel(kc, ad, aOff, bd, bOff, c, cOff + i * ldc + j, ldc, MR, nr);
      }
      for (; i < iEnd; i++) {
        const aOff = ((i - (i % MR)) / MR) * k * MR + pc * MR + (i % MR);
        microKernelRow(kc, ad, aOff, bd, bOff, c, cOff + i * ldc + j, nr);
      }
    }
  }
}
