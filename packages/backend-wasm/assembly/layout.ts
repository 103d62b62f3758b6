// Block and tile sizes shared by the packers and the GEMM. The TypeScript side mirrors them in
// src/layout.ts to size packed buffers; keep the two in step.

/** Rows of the register tile: four splatted A values per step. */
export const MR: i32 = 4;
/** Columns of the register tile: two f32x4 vectors of B. 4x8 leaves room in V8's 16 xmm. */
export const NR: i32 = 8;
/** Depth of one packed block: a kc x NR panel of B (8 KiB) stays in L1 across the MR panels. */
export const KC: i32 = 256;
/** Rows of A per block (128 x 256 floats = 128 KiB, in L2). */
export const MC: i32 = 128;
/** Columns of B per block. */
export const NC: i32 = 1024;

export function roundUp(x: i32, m: i32): i32 {
  return ((x + m - 1) / m) * m;
}

/** Byte address of element `i` of the f32 array at `base`. */
export function at(base: usize, i: i32): usize {
  return base + ((<usize>i) << 2);
}
