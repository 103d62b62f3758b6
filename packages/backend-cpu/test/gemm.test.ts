import { describe, expect, it } from 'vitest';
import { blockSize, gemm, gemmPacking, packA, packB } from '../src/kernels/gemm.js';
import { randomTensor } from './graph.js';

/** Textbook triple loop in float64: the independent reference. */
function naive(m: number, n: number, k: number, a: Float32Array, b: Float32Array): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

const sizes: [number, number, number][] = [
  [1, 1, 1],
  [7, 13, 5],
  [4, 8, 1],
  [5, 9, 257],
  [65, 129, 31],
  [130, 520, 300],
];

describe('gemm', () => {
  for (const [m, n, k] of sizes) {
    it(`matches the naive product at ${m}x${n}x${k}`, () => {
      const a = randomTensor([m, k], m * 1000 + k).data;
      const b = randomTensor([k, n], n * 1000 + k).data;
      const want = naive(m, n, k, a, b);
      const c = new Float32Array(m * n).fill(0.5); // C += A·B: the initial values must stay
      gemm(packA(m, k, a, 0, k, 1), packB(k, n, b, 0, n, 1), c, 0, n);
      for (let i = 0; i < m * n; i++) {
        // Float64 accumulation, one rounding: within one float32 ulp of the exact sum.
        expect(Math.abs(c[i]! - (want[i]! + 0.5))).toBeLessThanOrEqual(
          1e-6 * Math.max(1, Math.abs(want[i]!)),
        );
      }
    });
  }

  it('reads transposed and offset operands through the packing strides', () => {
    const [m, n, k] = [6, 11, 9];
    const a = randomTensor([m, k], 1).data;
    const b = randomTensor([k, n], 2).data;
    const aT = new Float32Array(3 + m * k); // A stored transposed, after 3 floats of junk
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) aT[3 + p * m + i] = a[i * k + p]!;
    const bT = new Float32Array(k * n);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bT[j * k + p] = b[p * n + j]!;
    const ldc = n + 2; // C inside a wider row-major buffer, at an offset
    const c = new Float32Array(1 + m * ldc);
    gemm(packA(m, k, aT, 3, 1, m), packB(k, n, bT, 0, 1, k), c, 1, ldc);
    const want = naive(m, n, k, a, b);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) expect(c[1 + i * ldc + j]).toBeCloseTo(want[i * n + j]!, 5);
      expect(c[1 + i * ldc + n]).toBe(0); // the gap columns are untouched
    }
  });

  it('gives the same bits whether B is prepacked or packed block by block', () => {
    // n spans two NC blocks with a partial last panel; k spans two KC blocks.
    const [m, n, k] = [9, 530, 300];
    const a = randomTensor([m, k], 5).data;
    const b = randomTensor([k, n], 6).data;
    const pa = packA(m, k, a, 0, k, 1);
    const want = new Float32Array(m * n).fill(0.25);
    gemm(pa, packB(k, n, b, 0, n, 1), want, 0, n);
    const got = new Float32Array(m * n).fill(0.25);
    const blocks: string[] = [];
    const scratch = new Float32Array(blockSize()).fill(Number.NaN);
    gemmPacking(
      pa,
      n,
      (p0, kc, j0, nc, out) => {
        blocks.push(`${p0}+${kc},${j0}+${nc}`);
        packB(kc, nc, b, p0 * n + j0, n, 1, out);
      },
      got,
      0,
      n,
      scratch,
    );
    expect(got).toEqual(want);
    expect(blocks).toEqual(['0+256,0+512', '256+44,0+512', '0+256,512+18', '256+44,512+18']);
  });

  it('computes the rows of a partial panel exactly as full-panel rows', () => {
    // Rows 4..6 of a 7-row A go through the one-row kernel; in an 8-row A they take the full
    // 4x8 kernel. The sums are formed in the same order, so the bits agree.
    const [n, k] = [13, 70];
    const a = randomTensor([8, k], 7).data;
    const b = randomTensor([k, n], 8).data;
    const pb = packB(k, n, b, 0, n, 1);
    const full = new Float32Array(8 * n);
    gemm(packA(8, k, a, 0, k, 1), pb, full, 0, n);
    const part = new Float32Array(7 * n);
    gemm(packA(7, k, a, 0, k, 1), pb, part, 0, n);
    expect(part).toEqual(full.subarray(0, 7 * n));
    const one = new Float32Array(n);
    gemm(packA(1, k, a, 5 * k, k, 1), pb, one, 0, n);
    expect(one).toEqual(full.subarray(5 * n, 6 * n));
  });

  it('refuses operands of different depth', () => {
    const a = packA(2, 3, new Float32Array(6), 0, 3, 1);
    const b = packB(4, 2, new Float32Array(8), 0, 2, 1);
    expect(() => gemm(a, b, new Float32Array(4), 0, 2)).toThrow(/depth mismatch/);
  });
});
