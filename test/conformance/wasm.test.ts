import { describe, expect, it } from 'vitest';
import { createWasmBackend, wasmBackend } from '../../packages/backend-wasm/src/index.js';
import { cpuBackend } from '../../packages/backend-cpu/src/index.js';
import { caseGraph, casesFor, loadCorpus, runCase, runConformance } from './harness.js';

describe('conformance: wasm backend against PyTorch', () => {
  const corpus = loadCorpus();

  it('claims every op of the corpus', () => {
    for (const op of new Set(corpus.map((c) => c.op))) {
      expect(wasmBackend.capabilities.ops).toContain(op);
    }
  });

  for (const c of casesFor(wasmBackend).run) {
    it(`${c.op}: ${c.name}`, async () => {
      const result = await runCase(wasmBackend, c);
      expect(result.problem).toBeUndefined();
      expect(result.maxError).toBeLessThanOrEqual(1e-5);
    });
  }

  it('matches the cpu backend on every case within 1e-5 relative', async () => {
    for (const c of casesFor(wasmBackend).run) {
      const { graph, weights, inputs } = caseGraph(c);
      const run = async (b: typeof wasmBackend) =>
        (await (await b.compile(graph, weights)).run(inputs))['y']!;
      const [got, want] = [await run(wasmBackend), await run(cpuBackend)];
      expect(got.shape, c.name).toEqual(want.shape);
      want.data.forEach((w, i) => {
        const e = Math.abs(got.data[i]! - w) / Math.max(1, Math.abs(w));
        if (!(e <= 1e-5)) expect.fail(`${c.name}[${i}]: wasm ${got.data[i]}, cpu ${w}`);
      });
    }
  });

  it('skips exactly the cases of ops a narrowed backend does not claim', async () => {
    const narrow = createWasmBackend({ ops: ['conv', 'softmax'] });
    const report = await runConformance(narrow);
    expect(new Set(report.results.map((r) => r.op))).toEqual(new Set(['conv', 'softmax']));
    expect(report.results.every((r) => r.passed)).toBe(true);
    expect(report.skipped.length + report.results.length).toBe(corpus.length);
  });
});
