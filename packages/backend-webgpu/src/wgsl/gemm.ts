/**
 * The tiled matrix product every linear kernel runs: C[z] = A[z] · B[z] for a batch of z
 * problems, M x K times K x N. A workgroup owns a BM x BN tile of C; per step along K all its
 * invocations load a BM x BK slice of A and a BK x BN slice of B into workgroup memory (zero past
 * the edges), then each multiplies its TM x TN register block from there. The tiles are stored
 * as vec4 (four rows of A, four columns of B), so one multiply-add updates four outputs.
 *
 * Kernels say how to read A and B and how to store C as WGSL statements inlined into the loops
 * (`GemmParts`), with a prelude run once per invocation, so the same loop serves dense (A = x,
 * B = Wᵀ), conv as an implicit GEMM (B read through the window, no column matrix in memory), and
 * every backward product.
 *
 * Cache key: the tile (`tileKey`) plus what the parts depend on, which the caller puts in its key.
 */
import type { DeviceShape, ShaderBuilder, TensorVar } from './builder.js';

export interface GemmTile {
  /** Rows and columns of C per workgroup, and the depth of one step. */
  readonly bm: number;
  readonly bn: number;
  readonly bk: number;
  /** Rows and columns of C per invocation (the register block); multiples of 4. */
  readonly tm: number;
  readonly tn: number;
}

function fitTile(device: DeviceShape, wx: number, wy: number, tm: number, tn: number): GemmTile {
  // Shrink the workgroup to the device, then the depth to its workgroup memory.
  while (wx > device.maxSizeX) wx /= 2;
  while (wy > device.maxSizeY) wy /= 2;
  while (wx * wy > device.invocations) {
    if (wx >= wy) wx /= 2;
    else wy /= 2;
  }
  let bk = 8;
  while (bk > 1 && (wy * tm + wx * tn) * bk * 4 > device.workgroupBytes) bk /= 2;
  return { bm: wy * tm, bn: wx * tn, bk, tm, tn };
}

/**
 * The tile for an M x N product: 64 x 64 (8 x 8 invocations of 8 x 8 outputs) in general; a
 * 4-row tile when M is small (dense at batch 1-8), a 4-column one when N is (a convolution
 * with a 1 x 1 output map), so a thin product does not compute 60 rows of zeros.
 */
export function gemmTile(device: DeviceShape, m: number, n: number): GemmTile {
  if (m <= 8 && n > m) return fitTile(device, 64, 1, 4, 4);
  if (n <= 8 && m > n) return fitTile(device, 1, 64, 4, 4);
  return fitTile(device, 8, 8, 8, 8);
}

export const tileKey = (t: GemmTile): string => `${t.bm}x${t.bn}x${t.bk}/${t.tm}x${t.tn}`;

export interface GemmParts {
  /** Sizes of the product, as u32 expressions. */
  readonly m: string;
  readonly n: string;
  readonly k: string;
  /** Statements run once per invocation before the product; `z` (the problem) is in scope. */
  readonly prelude?: string;
  /** Statements setting `v` (an f32 var, 0) to A(m, k); only called with m < M, k < K. */
  readonly loadA: string;
  /** Statements setting `v` to B(k, n); only called with k < K, n < N. */
  readonly loadB: string;
  /** Statements storing `v` as C(m, n); only called with m < M, n < N. */
  readonly store: string;
}

/** Workgroups for an M x N product over `batch` problems: [column tiles, row tiles, batch]. */
export function gemmGrid(
  t: GemmTile,
  m: number,
  n: number,
  batch: number,
): [number, number, number] {
  return [Math.ceil(n / t.bn), Math.ceil(m / t.bm), batch];
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export function gemm(s: ShaderBuilder, t: GemmTile, parts: GemmParts): void {
  const { bm, bn, bk, tm, tn } = t;
  const threads = (bm / tm) * (bn / tn);
  s.workgroup(bn / tn, bm / tm);
  s.define(`var<workgroup> tile_a: array<vec4<f32>, ${(bk * bm) / 4}>;`);
  s.define(`var<workgroup> tile_b: array<vec4<f32>, ${(bk * bn) / 4}>;`);
  const quadsA = range(tm / 4);
  const quadsB = range(tn / 4);
  const multiply = [
    ...quadsA.map((r) => `let a${r} = tile_a[kk * ${bm / 4}u + ty * ${tm / 4}u + ${r}u];`),
    ...quadsB.map((q) => `let b${q} = tile_b[kk * ${bn / 4}u + tx * ${tn / 4}u + ${q}u];`),
    ...range(tm).flatMap((i) => quadsB.map((q) => `acc${i}_${q} += a${i >> 2}[${i & 3}] * b${q};`)),
  ];
  const stores = range(tm).flatMap((i) =>
    quadsB.flatMap((q) =>
      range(4).map(
        (l) => `
  if (row + ${i}u < size_m && col + ${q * 4 + l}u < size_n) {
    let m = row + ${i}u;
    let n = col + ${q * 4 + l}u;
    let v = acc${i}_${q}[${l}];
    ${parts.store}
  }`,
      ),
    ),
  );
  const accumulators = range(tm).flatMap((i) =>
    quadsB.map((q) => `var acc${i}_${q} = vec4<f32>();`),
  );
  s.main(`
  let size_m = ${parts.m};
  let size_n = ${parts.n};
  let size_k = ${parts.k};
  let z = wid.z;
  let row0 = wid.y * ${bm}u;
  let col0 = wid.x * ${bn}u;
  let tx = lid.x;
  let ty = lid.y;
  ${parts.prelude ?? ''}
  ${accumulators.join('\n  ')}
  for (var k0 = 0u; k0 < size_k; k0 += ${bk}u) {
    for (var e = lix; e < ${bm * bk}u; e += ${threads}u) {
      let mm = e / ${bk}u;
      let kk = e % ${bk}u;
      var v = 0.0;
      if (row0 + mm < size_m && k0 + kk < size_k) {
        let m = row0 + mm;
        let k = k0 + kk;
        ${parts.loadA}
      }
      tile_a[(kk * ${bm}u + mm) / 4u][mm % 4u] = v;
    }
    for (var e = lix; e < ${bk * bn}u; e += ${threads}u) {
      let kk = e / ${bn}u;
      let nn = e % ${bn}u;
      var v = 0.0;
      if (k0 + kk < size_k && col0 + nn < size_n) {
        let k = k0 + kk;
        let n = col0 + nn;
        ${parts.loadB}
      }
      tile_b[(kk * ${bn}u + nn) / 4u][nn % 4u] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${bk}u; kk++) {
      ${multiply.join('\n      ')}
    }
    workgroupBarrier();
  }
  let row = row0 + ty * ${tm}u;
  let col = col0 + tx * ${tn}u;
  ${stores.join('')}`);
}

/**
 * The bias of row or column `i`, or 0 when parameter `has_bias` is 0 (the binding then holds
 * another tensor of at least as many values, whose value is read and ignored): one pipeline
 * serves layers with and without a bias.
 */
export function biasTerm(s: ShaderBuilder, b: TensorVar, i: string): string {
  return `select(0.0, ${b.get(i)}, ${s.param('has_bias', 'u32')} != 0u)`;
}
