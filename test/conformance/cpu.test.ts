import { describe, expect, it } from 'vitest';
import { cpuBackend, createCpuBackend } from '../../packages/backend-cpu/src/index.js';
import { getOp } from '../../packages/core/src/index.js';
import { casesFor, loadCorpus, runCase, runConformance } from './harness.js';

describe('conformance: cpu backend against PyTorch', () => {
  const corpus = loadCorpus();

  it('covers every op the backend claims, with many cases', () => {
    const ops = new Set(corpus.map((c) => c.op));
    // Backward and training-mode ops are checked by gradient tests instead (test/train/).
    const forward = [...cpuBackend.capabilities.ops].filter(
      (op) => op !== 'input' && getOp(op)?.category !== 'training',
    );
    for (const op of forward) expect(ops).toContain(op);
    expect(corpus.length).toBeGreaterThan(90);
  });

  for (const c of casesFor(cpuBackend).run) {
    it(`${c.op}: ${c.name}`, async () => {
      const result = await runCase(cpuBackend, c);
      expect(result.problem).toBeUndefined();
      expect(result.maxError).toBeLessThanOrEqual(1e-5);
    });
  }

  it('skips exactly the cases of ops a backend does not claim', async () => {
    const narrow = createCpuBackend({ ops: ['relu', 'add'] });
    const report = await runConformance(narrow);
    expect(new Set(report.results.map((r) => r.op))).toEqual(new Set(['relu', 'add']));
    expect(report.results.every((r) => r.passed)).toBe(true);
    expect(report.skipped.length + report.results.length).toBe(corpus.length);
  });
});
