// The 4 x 4 transpose in registers that packing and the Winograd transforms share. A class only
// so that AssemblyScript's @inline applies (it marks methods; binaryen leaves alone a helper
// with several callers, and a call per 16 floats would cost more than the shuffles).

export class Transpose {
  /**
   * Vectors a, b, c, d as the rows of a 4 x 4 matrix; its columns are stored at dst,
   * dst + step, dst + 2 step, dst + 3 step (column q: a[q], b[q], c[q], d[q]).
   */
  @inline static store(a: v128, b: v128, c: v128, d: v128, dst: usize, step: usize): void {
    // Interleave pairs of rows, then pairs of pairs.
    const ab01 = i32x4.shuffle(a, b, 0, 4, 1, 5);
    const ab23 = i32x4.shuffle(a, b, 2, 6, 3, 7);
    const cd01 = i32x4.shuffle(c, d, 0, 4, 1, 5);
    const cd23 = i32x4.shuffle(c, d, 2, 6, 3, 7);
    v128.store(dst, i32x4.shuffle(ab01, cd01, 0, 1, 4, 5));
    v128.store(dst + step, i32x4.shuffle(ab01, cd01, 2, 3, 6, 7));
    v128.store(dst + 2 * step, i32x4.shuffle(ab23, cd23, 0, 1, 4, 5));
    v128.store(dst + 3 * step, i32x4.shuffle(ab23, cd23, 2, 3, 6, 7));
  }
}
