import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WASM_FILE } from '../src/index.js';
import { MR, NR, packedABytes, packedBBytes, roundUp } from '../src/layout.js';
import { instantiate, moduleLoader } from '../src/module.js';

/** The module's GEMM entry points, called directly over a fresh memory. */
interface GemmExports {
  heapBase(): number;
  packA(src: number, rs: number, cs: number, m: number, k: number, dst: number): void;
  packB(
    s: number,
    rs: number,
    cs: number,
    k: number,
    n: number,
    d: number,
    f: number,
    t: number,
  ): void;
  gemm(
    pa: number,
    pb: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
    tmp: number,
  ): void;
  gemmRaw(
    pa: number,
    b: number,
    rs: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
    buf: number,
    tmp: number,
  ): void;
}

/** Seeded values in [-1, 1): a small LCG, so a failure reproduces. */
function values(count: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

async function module() {
  const compiled = await moduleLoader(readFileSync(WASM_FILE))();
  const { exports, memory } = await instantiate(compiled, 1);
  return { w: exports as unknown as GemmExports, memory };
}

// gemmRaw packs B block by block (256 deep, 512 wide) as it multiplies: shapes with a partial
// last block in depth and in width, and edges that are not whole MR x NR tiles.
describe('gemmRaw', () => {
  for (const [m, k, n] of [
    [13, 300, 1030],
    [4, 8, 8],
    [7, 513, 9],
  ] as const) {
    it(`matches packB + gemm and a plain sum at ${m}x${k}x${n}`, async () => {
      const { w, memory } = await module();
      const at = (x: number) => roundUp(x, 64);
      const A = at(w.heapBase());
      const B = at(A + m * k * 4);
      const C1 = at(B + k * n * 4);
      const C2 = at(C1 + m * n * 4);
      const PA = at(C2 + m * n * 4);
      const PB = at(PA + packedABytes(m, k));
      const BUF = at(PB + packedBBytes(k, n));
      const TMP = at(BUF + 256 * 512 * 4);
      memory.grow(Math.ceil((TMP + MR * NR * 4) / 65536));
      const heap = new Float32Array(memory.buffer);
      const a = values(m * k, 1);
      const b = values(k * n, 2);
      heap.set(a, A / 4);
      heap.set(b, B / 4);
      w.packA(A, k, 1, m, k, PA);
      w.packB(B, n, 1, k, n, PB, 0, n);
      w.gemm(PA, PB, C1, n, m, n, k, TMP);
      w.gemmRaw(PA, B, n, C2, n, m, n, k, BUF, TMP);
      const packed = heap.slice(C1 / 4, C1 / 4 + m * n);
      const raw = heap.slice(C2 / 4, C2 / 4 + m * n);
      // Same depth blocks, same order of sums: the two agree exactly.
      expect(raw).toEqual(packed);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let p = 0; p < k; p++) sum += a[i * k + p]! * b[p * n + j]!;
          expect(Math.abs(raw[i * n + j]! - sum)).toBeLessThan(1e-4);
        }
      }
    });
  }
});
