// Block and tile sizes shared by the packers and the GEMM. The TypeScript side mirrors them in
// src/layout.ts to size packed buffers; keep the two in step.

/** Rows of the register tile: four splatted A values per step. */
export const MR: i32 = 4;
/** Columns of the register tile: two f32x4 vectors of B. 4x8 leaves room in V8's 16 xmm. */
export const NR: i32 = 8;
/** Most depth of one packed block: a kc x NR panel of B (8 KiB) stays in L1 across MR panels. */
export const KC: i32 = 256;
/** Rows of A per block (128 x 256 floats = 128 KiB, in L2). */
export const MC: i32 = 128;
/** Columns of B per block. */
export const NC: i32 = 1024;
/** Columns of B per block gemmRaw packs at once (KC x NB floats = 512 KiB, in L2 with A's). */
export const NB: i32 = 512;
/** Bytes of one edge tile (MR x NR floats) at the end of each part's scratch. */
export const TILE: usize = 128;

export function roundUp(x: i32, m: i32): i32 {
  return ((x + m - 1) / m) * m;
}

/** Byte address of element `i` of the f32 array at `base`. */
export function at(base: usize, i: i32): usize {
  return base + ((<usize>i) << 2);
}

/**
 * The depth of the packed blocks for a depth of k: k split into equal blocks of at most KC, so
 * no block is a short remainder (784 = 4 x 196, not 3 x 256 + 16, whose 16-deep block would
 * load and store C for little work).
 */
export function depthBlock(k: i32): i32 {
  const blocks = (k + KC - 1) / KC;
  return (k + blocks - 1) / blocks;
}

/**
 * Byte address of element (p, j) of a k x n matrix packed by packB with its columns padded to
 * np: depth block b0 (depthBlock(k) deep, kc rows here) from b0 * np on, then panel j / NR of
 * kc x NR values, lane j % NR of row p - b0.
 */
export function packedBAt(pb: usize, k: i32, np: i32, p: i32, j: i32): usize {
  const kb = depthBlock(k);
  const b0 = (p / kb) * kb;
  const kc = min(kb, k - b0);
  return at(pb, b0 * np + (j / NR) * NR * kc + (p - b0) * NR + (j % NR));
}
