/**
 * The tiled matrix product every linear kernel runs: C[z] = A[z] · B[z] for a batch of z
 * problems, M x K times K x N. A workgroup owns a BM x BN tile of C; per step along K it loads
 * a BM x BK slice of A and a BK x BN slice of B into workgroup memory (all invocations
 * together, zero past the edges), then each invocation multiplies its TM x TN register block
 * from there. The kernels say how to read A and B and how to store C through three small WGSL
 * functions, so the same loop serves dense (A = x, B = Wᵀ), conv as an implicit GEMM (B reads
 * the input through the window, no im2col buffer), and every backward product.
 *
 * Cache key: the tile (from the device's invocation count) plus what the three functions
 * depend on, which the caller puts in its key.
 */
import type { DeviceShape, ShaderBuilder, TensorVar } from './builder.js';

export interface GemmTile {
  /** Rows and columns of C per workgroup, and the depth of one step. */
  readonly bm: number;
  readonly bn: number;
  readonly bk: number;
  /** Rows and columns of C per invocation (the register block). */
  readonly tm: number;
  readonly tn: number;
}

/** 4x4 register blocks over the largest square-ish workgroup the device allows (16x16). */
export function gemmTile(device: DeviceShape): GemmTile {
  const tn = 4;
  const tm = 4;
  const wx = Math.min(16, device.invocations);
  const wy = Math.min(16, Math.max(1, device.invocations / wx));
  let bk = 16;
  // Two tiles of f32 must fit the workgroup memory (16 KiB by default: 8 KiB used here).
  while (bk > 4 && (wy * tm + wx * tn) * bk * 4 > device.workgroupBytes) bk /= 2;
  return { bm: wy * tm, bn: wx * tn, bk, tm, tn };
}

export const tileKey = (t: GemmTile): string => `${t.bm}x${t.bn}x${t.bk}/${t.tm}x${t.tn}`;

export interface GemmParts {
  /** Sizes of the product, as u32 expressions. */
  readonly m: string;
  readonly n: string;
  readonly k: string;
  /** Body of `fn gemm_a(z: u32, m: u32, k: u32) -> f32`; called with m < M, k < K only. */
  readonly loadA: string;
  /** Body of `fn gemm_b(z: u32, k: u32, n: u32) -> f32`; called with k < K, n < N only. */
  readonly loadB: string;
  /** Body of `fn gemm_c(z: u32, m: u32, n: u32, v: f32)`; called with m < M, n < N only. */
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
  s.define(`var<workgroup> tile_a: array<f32, ${bk * bm}>;`);
  s.define(`var<workgroup> tile_b: array<f32, ${bk * bn}>;`);
  s.define(`fn gemm_a(z: u32, m: u32, k: u32) -> f32 {\n${parts.loadA}\n}`);
  s.define(`fn gemm_b(z: u32, k: u32, n: u32) -> f32 {\n${parts.loadB}\n}`);
  s.define(`fn gemm_c(z: u32, m: u32, n: u32, v: f32) {\n${parts.store}\n}`);
  const rows = range(tm);
  const cols = range(tn);
  const multiply = [
    ...rows.map((i) => `let a${i} = tile_a[kk * ${bm}u + ty * ${tm}u + ${i}u];`),
    ...cols.map((j) => `let b${j} = tile_b[kk * ${bn}u + tx * ${tn}u + ${j}u];`),
    ...rows.flatMap((i) => cols.map((j) => `acc[${i * tn + j}] += a${i} * b${j};`)),
  ];
  const stores = rows.flatMap((i) =>
    cols.map(
      (j) => `
    if (row + ${i}u < size_m && col + ${j}u < size_n) {
      gemm_c(z, row + ${i}u, col + ${j}u, acc[${i * tn + j}]);
    }`,
    ),
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
  var acc: array<f32, ${tm * tn}>;
  for (var k0 = 0u; k0 < size_k; k0 += ${bk}u) {
    for (var e = lix; e < ${bm * bk}u; e += ${threads}u) {
      let mm = e / ${bk}u;
      let kk = e % ${bk}u;
      var v = 0.0;
      if (row0 + mm < size_m && k0 + kk < size_k) { v = gemm_a(z, row0 + mm, k0 + kk); }
      tile_a[kk * ${bm}u + mm] = v;
    }
    for (var e = lix; e < ${bk * bn}u; e += ${threads}u) {
      let kk = e / ${bn}u;
      let nn = e % ${bn}u;
      var v = 0.0;
      if (k0 + kk < size_k && col0 + nn < size_n) { v = gemm_b(z, k0 + kk, col0 + nn); }
      tile_b[kk * ${bn}u + nn] = v;
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
