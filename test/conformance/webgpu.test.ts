import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../packages/backend-cpu/src/index.js';
import { createWebGpuBackend, webgpuBackend } from '../../packages/backend-webgpu/src/index.js';
import { describeGpu } from '../webgpu/gpu.js';
import { caseGraph, casesFor, loadCorpus, runCase, runConformance } from './harness.js';

describe('the webgpu backend claims', () => {
  it('every op of the corpus', () => {
    for (const op of new Set(loadCorpus().map((c) => c.op))) {
      expect(webgpuBackend.capabilities.ops).toContain(op);
    }
  });
});

describeGpu('conformance: webgpu backend against PyTorch and the cpu backend', () => {
  const corpus = loadCorpus();

  for (const c of casesFor(webgpuBackend).run) {
    it(`${c.op}: ${c.name}`, async () => {
      const result = await runCase(webgpuBackend, c);
      expect(result.problem).toBeUndefined();
      expect(result.maxError).toBeLessThanOrEqual(1e-5);
      // The same case on the CPU reference, within 1e-5 relative (absolute near zero).
      const { graph, weights, inputs } = caseGraph(c);
      const run = async (b: typeof webgpuBackend) =>
        (await (await b.compile(graph, weights)).run(inputs))['y']!;
      const [got, want] = [await run(webgpuBackend), await run(cpuBackend)];
      expect(got.shape).toEqual(want.shape);
      want.data.forEach((w, i) => {
        const e = Math.abs(got.data[i]! - w) / Math.max(1, Math.abs(w));
        if (!(e <= 1e-5)) expect.fail(`${c.name}[${i}]: webgpu ${got.data[i]}, cpu ${w}`);
      });
    });
  }

  it('skips exactly the cases of ops a narrowed backend does not claim', async () => {
    const narrow = createWebGpuBackend({ ops: ['relu', 'softmax'] });
    const report = await runConformance(narrow);
    expect(new Set(report.results.map((r) => r.op))).toEqual(new Set(['relu', 'softmax']));
    expect(report.results.every((r) => r.passed)).toBe(true);
    expect(report.skipped.length + report.results.length).toBe(corpus.length);
  });
});
