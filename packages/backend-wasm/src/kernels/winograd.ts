/**
 * The weight side of Winograd F(2x2, 3x3) (assembly/winograd.ts): U = G g G^T for each pair of
 * output and input channel, with G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]].
 * Computed once at compile time in double precision; element xi = 4i + j of each 4x4 result
 * goes to matrix xi, cout x cin, which the module packs as a GEMM's A operand.
 */

/** Whether a conv runs as Winograd F(2x2, 3x3): 3x3, stride 1, no dilation, one group. */
export function winogradApplies(
  kernel: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
  groups: number,
  cin: number,
  cout: number,
  minChannels: number,
): boolean {
  const ones = (xs: readonly number[]) => xs.every((x) => x === 1);
  return (
    kernel[0] === 3 &&
    kernel[1] === 3 &&
    ones(stride) &&
    ones(dilation) &&
    groups === 1 &&
    cin >= minChannels &&
    cout >= minChannels
  );
}

/** G v for a 3-vector v: (v0, (v0 + v1 + v2) / 2, (v0 - v1 + v2) / 2, v2). */
function expand(v0: number, v1: number, v2: number): [number, number, number, number] {
  return [v0, (v0 + v1 + v2) / 2, (v0 - v1 + v2) / 2, v2];
}

/**
 * The 16 matrices U[xi] (cout x cin, row-major) of a weight [cout, cin, 3, 3], back to back.
 */
export function winogradWeights(weight: Float32Array, cout: number, cin: number): Float32Array {
  const plane = cout * cin;
  const u = new Float32Array(16 * plane);
  for (let o = 0; o < cout; o++) {
    for (let c = 0; c < cin; c++) {
      const g = weight.subarray((o * cin + c) * 9, (o * cin + c) * 9 + 9);
      // G g: each column of g (3 rows) expands to 4 rows.
      const cols = [0, 1, 2].map((j) => expand(g[j]!, g[3 + j]!, g[6 + j]!));
      for (let i = 0; i < 4; i++) {
        // (G g) G^T: row i of G g expands to 4 columns.
        const row = expand(cols[0]![i]!, cols[1]![i]!, cols[2]![i]!);
        for (let j = 0; j < 4; j++) u[(4 * i + j) * plane + o * cin + c] = row[j]!;
      }
    }
  }
  return u;
}
