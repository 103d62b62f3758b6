/**
 * The weight side of Winograd convolution (assembly/winograd.ts, assembly/winograd4.ts): for
 * F(t x t, 3 x 3), U = G g G^T for each pair of output and input channel, G being (t + 2) x 3.
 * Computed once at compile time in double precision; element xi = (t + 2) i + j of each result
 * goes to matrix xi, cout x cin, which the module packs as a GEMM's A operand.
 */
import type { BindSite } from './types.js';

/** Whether a conv can run as Winograd: 3x3, stride 1, no dilation, one group. */
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

/** GEMM products per channel pair of F(t x t, 3 x 3) on an oh x ow map (rows of four tiles). */
const products = (t: number, oh: number, ow: number): number =>
  Math.ceil(oh / t) * Math.ceil(Math.ceil(ow / t) / 4) * 4 * (t + 2) ** 2;

/**
 * The tile of a Winograd conv: 4 when its output's height and width are known and F(4x4, 3x3)
 * needs fewer products than F(2x2, 3x3) once tile rows are padded to four tiles (on 56 x 56:
 * 8064 against 12544 per channel pair; on 7 x 7: 288 against 256), else 2, which also rounds
 * more closely. A training graph stays on 2: F(2x2, 3x3) gives exactly 0 for a window of zeros
 * (its transforms add and subtract the same rounded products), F(4x4, 3x3) a residue of about
 * 1e-7 that flips ReLU and max-pool masks against the CPU backend's, and training amplifies
 * those flips (assembly/winograd4.ts). The backend's `winograd: '2x2'` option keeps 2 everywhere.
 */
export function winogradTile({ outShape, training, winograd }: BindSite): 2 | 4 {
  const [, , oh, ow] = outShape;
  if (training || winograd === '2x2') return 2;
  if (typeof oh !== 'number' || typeof ow !== 'number') return 2;
  return products(4, oh, ow) < products(2, oh, ow) ? 4 : 2;
}

/** G v for a 3-vector v, by tile size: F(2x2, 3x3) and F(4x4, 3x3) (points 0, 1, -1, 1/2, -2). */
const EXPAND: Record<2 | 4, (v0: number, v1: number, v2: number) => number[]> = {
  2: (v0, v1, v2) => [v0, (v0 + v1 + v2) / 2, (v0 - v1 + v2) / 2, v2],
  4: (v0, v1, v2) => [
    v0,
    (v0 + v1 + v2) / 3,
    (-v0 + v1 - v2) / 3,
    -(16 * v0 + 8 * v1 + 4 * v2) / 15,
    (v0 - 2 * v1 + 4 * v2) / 15,
    v2,
  ],
};

/**
 * The (t + 2)^2 matrices U[xi] (cout x cin, row-major) of a weight [cout, cin, 3, 3], back to
 * back, for tile t.
 */
export function winogradWeights(
  weight: Float32Array,
  cout: number,
  cin: number,
  tile: 2 | 4,
): Float32Array {
  const expand = EXPAND[tile];
  const a = tile + 2;
  const plane = cout * cin;
  const u = new Float32Array(a * a * plane);
  for (let o = 0; o < cout; o++) {
    for (let c = 0; c < cin; c++) {
      const g = weight.subarray((o * cin + c) * 9, (o * cin + c) * 9 + 9);
      // G g: each column of g (3 rows) expands to a rows.
      const cols = [0, 1, 2].map((j) => expand(g[j]!, g[3 + j]!, g[6 + j]!));
      for (let i = 0; i < a; i++) {
        // (G g) G^T: row i of G g expands to a columns.
        const row = expand(cols[0]![i]!, cols[1]![i]!, cols[2]![i]!);
        for (let j = 0; j < a; j++) u[(a * i + j) * plane + o * cin + c] = row[j]!;
      }
    }
  }
  return u;
}
