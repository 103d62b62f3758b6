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

/** Rows of A per micro-tile. */
export const MR = 4;
/** Columns of B per micro-tile. */
export const NR = 8;
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

/** One MR x NR tile over kc depth steps; 32 accumulators held in locals. */
function microKernel(
  kc: number,
  a: Float32Array,
  ai: number,
  b: Float32Array,
  bi: number,
  c: Float32Array,
  ci: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0; // prettier-ignore
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0; // prettier-ignore
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0; // prettier-ignore
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0; // prettier-ignore
  for (let p = 0; p < kc; p++) {
    const b0 = b[bi]!, b1 = b[bi + 1]!, b2 = b[bi + 2]!, b3 = b[bi + 3]!; // prettier-ignore
    const b4 = b[bi + 4]!, b5 = b[bi + 5]!, b6 = b[bi + 6]!, b7 = b[bi + 7]!; // prettier-ignore
    let x = a[ai]!;
    c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3; // prettier-ignore
    c04 += x * b4; c05 += x * b5; c06 += x * b6; c07 += x * b7; // prettier-ignore
    x = a[ai + 1]!;
    c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3; // prettier-ignore
    c14 += x * b4; c15 += x * b5; c16 += x * b6; c17 += x * b7; // prettier-ignore
    x = a[ai + 2]!;
    c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3; // prettier-ignore
    c24 += x * b4; c25 += x * b5; c26 += x * b6; c27 += x * b7; // prettier-ignore
    x = a[ai + 3]!;
    c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3; // prettier-ignore
    c34 += x * b4; c35 += x * b5; c36 += x * b6; c37 += x * b7; // prettier-ignore
    ai += MR;
    bi += NR;
  }
  if (mr === MR && nr === NR) {
    // Full tile: direct stores keep the accumulators in registers (no array of 32 values).
    let o = ci;
    // prettier-ignore
    c[o]! += c00; c[o + 1]! += c01; c[o + 2]! += c02; c[o + 3]! += c03;
    // prettier-ignore
    c[o + 4]! += c04; c[o + 5]! += c05; c[o + 6]! += c06; c[o + 7]! += c07;
    o += ldc;
    // prettier-ignore
    c[o]! += c10; c[o + 1]! += c11; c[o + 2]! += c12; c[o + 3]! += c13;
    // prettier-ignore
    c[o + 4]! += c14; c[o + 5]! += c15; c[o + 6]! += c16; c[o + 7]! += c17;
    o += ldc;
    // prettier-ignore
    c[o]! += c20; c[o + 1]! += c21; c[o + 2]! += c22; c[o + 3]! += c23;
    // prettier-ignore
    c[o + 4]! += c24; c[o + 5]! += c25; c[o + 6]! += c26; c[o + 7]! += c27;
    o += ldc;
    // prettier-ignore
    c[o]! += c30; c[o + 1]! += c31; c[o + 2]! += c32; c[o + 3]! += c33;
    // prettier-ignore
    c[o + 4]! += c34; c[o + 5]! += c35; c[o + 6]! += c36; c[o + 7]! += c37;
    return;
  }
  const tile = [
    c00, c01, c02, c03, c04, c05, c06, c07, c10, c11, c12, c13, c14, c15, c16, c17,
    c20, c21, c22, c23, c24, c25, c26, c27, c30, c31, c32, c33, c34, c35, c36, c37,
  ]; // prettier-ignore
  for (let r = 0; r < mr; r++) {
    for (let s = 0; s < nr; s++) c[ci + r * ldc + s]! += tile[r * NR + s]!;
  }
}
