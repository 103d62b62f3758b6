import { describe, expect, it } from 'vitest';
import { wasmBackend } from '../../packages/backend-wasm/src/index.js';
import { runPasses } from '../../packages/core/src/index.js';
import { randomWeights } from '../passes/random_weights.js';
import { TOLERANCE, loadExample, reference, runOn, scaledError, seededInputs } from './models.js';

/** The example on WASM, as written and after fc-to-conv, against the CPU backend. */
async function check(name: string, batch: number) {
  const graph = loadExample(name);
  const weights = randomWeights(graph, 3);
  const inputs = seededInputs(graph, batch);
  const want = await reference(graph, weights, inputs);
  const got = await runOn(wasmBackend, graph, weights, inputs);
  const rewritten = runPasses(graph, ['fc-to-conv'], weights);
  expect(rewritten.graph.nodes.some((n) => n.op === 'dense')).toBe(false);
  const gotConv = await runOn(wasmBackend, rewritten.graph, rewritten.weights!, inputs);
  return { want, got, gotConv };
}

describe('examples end to end: wasm against the cpu backend', () => {
  for (const [name, batch] of [
    ['lenet5', 3],
    ['mlp-fashion', 4],
    ['resnet18', 1],
  ] as const) {
    it(`${name}, as written and after fc-to-conv`, async () => {
      const { want, got, gotConv } = await check(name, batch);
      expect(got.length).toBe(want.length);
      want.forEach((w, i) => {
        expect(got[i]!.shape).toEqual(w.shape);
        expect(scaledError(got[i]!, w)).toBeLessThanOrEqual(TOLERANCE);
        // fc-to-conv leaves [N, classes, 1, 1] maps where the dense head gave [N, classes].
        expect(gotConv[i]!.data.length).toBe(w.data.length);
        const flat = { ...gotConv[i]!, shape: w.shape };
        expect(scaledError(flat, w)).toBeLessThanOrEqual(TOLERANCE);
      });
    });
  }
});
