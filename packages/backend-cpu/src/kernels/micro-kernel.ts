/**
 * The GEMM micro-kernel: one MR x NR = 4 x 8 tile of C += A·B over kc depth steps, from packed
 * panels (A: MR values per step, B: NR values per step). The 32 accumulators are locals so the
 * JIT can keep them in registers; V8 optimises this unrolled form far better than loops over a
 * small accumulator array. Formatting is kept by hand (one tile row per line) for readability.
 */

/** Rows of A per micro-tile. */
export const MR = 4;
/** Columns of B per micro-tile. */
export const NR = 8;

/** Scratch for clipped edge stores; float64 so the one rounding to float32 stays the last. */
const edgeTile = new Float64Array(MR * NR);

// prettier-ignore
export function microKernel(
  kc: number, a: Float32Array, ai: number, b: Float32Array, bi: number,
  c: Float32Array, ci: number, ldc: number, mr: number, nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = b[bi]!, b1 = b[bi + 1]!, b2 = b[bi + 2]!, b3 = b[bi + 3]!;
    const b4 = b[bi + 4]!, b5 = b[bi + 5]!, b6 = b[bi + 6]!, b7 = b[bi + 7]!;
    const a0 = a[ai]!;
    const a1 = a[ai + 1]!;
    const a2 = a[ai + 2]!;
    const a3 = a[ai + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c04 += a0 * b4; c05 += a0 * b5; c06 += a0 * b6; c07 += a0 * b7;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c14 += a1 * b4; c15 += a1 * b5; c16 += a1 * b6; c17 += a1 * b7;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c24 += a2 * b4; c25 += a2 * b5; c26 += a2 * b6; c27 += a2 * b7;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    c34 += a3 * b4; c35 += a3 * b5; c36 += a3 * b6; c37 += a3 * b7;
    ai += MR;
    bi += NR;
  }
  if (mr === MR && nr === NR) {
    // Full tile: direct stores keep the accumulators in registers.
    let o = ci;
    c[o]! += c00; c[o + 1]! += c01; c[o + 2]! += c02; c[o + 3]! += c03;
    c[o + 4]! += c04; c[o + 5]! += c05; c[o + 6]! += c06; c[o + 7]! += c07;
    o = ci + 1 * ldc;
    c[o]! += c10; c[o + 1]! += c11; c[o + 2]! += c12; c[o + 3]! += c13;
    c[o + 4]! += c14; c[o + 5]! += c15; c[o + 6]! += c16; c[o + 7]! += c17;
    o = ci + 2 * ldc;
    c[o]! += c20; c[o + 1]! += c21; c[o + 2]! += c22; c[o + 3]! += c23;
    c[o + 4]! += c24; c[o + 5]! += c25; c[o + 6]! += c26; c[o + 7]! += c27;
    o = ci + 3 * ldc;
    c[o]! += c30; c[o + 1]! += c31; c[o + 2]! += c32; c[o + 3]! += c33;
    c[o + 4]! += c34; c[o + 5]! += c35; c[o + 6]! += c36; c[o + 7]! += c37;
    return;
  }
  // Edge tile: park the sums in a preallocated float64 tile (no allocation, no extra rounding)
  // and add back only the mr x nr corner that exists.
  const t = edgeTile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03; t[4] = c04; t[5] = c05; t[6] = c06; t[7] = c07;
  t[8] = c10; t[9] = c11; t[10] = c12; t[11] = c13; t[12] = c14; t[13] = c15; t[14] = c16;
  t[15] = c17;
  t[16] = c20; t[17] = c21; t[18] = c22; t[19] = c23; t[20] = c24; t[21] = c25; t[22] = c26;
  t[23] = c27;
  t[24] = c30; t[25] = c31; t[26] = c32; t[27] = c33; t[28] = c34; t[29] = c35; t[30] = c36;
  t[31] = c37;
  for (let r = 0; r < mr; r++) {
    for (let s = 0; s < nr; s++) c[ci + r * ldc + s]! += t[r * NR + s]!;
  }
}

/**
 * One row of A against one NR-column panel of B: the same sums, in the same order, as a row of
 * `microKernel`, so results do not depend on which kernel ran. Used for the rows of a partial
 * MR panel, where the full kernel would spend most of its multiplies on zero padding; this is
 * what makes batch-1 dense layers (a single row) 4x cheaper.
 */
// prettier-ignore
export function microKernelRow(
  kc: number, a: Float32Array, ai: number, b: Float32Array, bi: number,
  c: Float32Array, ci: number, nr: number,
): void {
  let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = a[ai]!;
    c0 += a0 * b[bi]!; c1 += a0 * b[bi + 1]!; c2 += a0 * b[bi + 2]!; c3 += a0 * b[bi + 3]!;
    c4 += a0 * b[bi + 4]!; c5 += a0 * b[bi + 5]!; c6 += a0 * b[bi + 6]!; c7 += a0 * b[bi + 7]!;
    ai += MR;
    bi += NR;
  }
  if (nr === NR) {
    c[ci]! += c0; c[ci + 1]! += c1; c[ci + 2]! += c2; c[ci + 3]! += c3;
    c[ci + 4]! += c4; c[ci + 5]! += c5; c[ci + 6]! += c6; c[ci + 7]! += c7;
    return;
  }
  const t = edgeTile;
  t[0] = c0; t[1] = c1; t[2] = c2; t[3] = c3; t[4] = c4; t[5] = c5; t[6] = c6; t[7] = c7;
  for (let s = 0; s < nr; s++) c[ci + s]! += t[s]!;
}
