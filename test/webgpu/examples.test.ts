/**
 * Every example on WebGPU, as written and after fc-to-conv, against the CPU backend: seeded
 * non-trivial weights and inputs, within 1e-5 of each output's largest magnitude (the scale the
 * WASM examples use). VGG-16 takes most of this file's time (two forward passes of 15 GMAC each on
 * SwiftShader, a minute or so); a batch of 1 keeps the big models as small as they can be.
 */
import { expect, it } from 'vitest';
import { webgpuBackend } from '../../packages/backend-webgpu/src/index.js';
import { runPasses } from '../../packages/core/src/index.js';
import { randomWeights } from '../passes/random_weights.js';
import {
  TOLERANCE,
  loadExample,
  reference,
  runOn,
  scaledError,
  seededInputs,
} from '../wasm/models.js';
import { describeGpu } from './gpu.js';

/** The example on WebGPU, as written and after fc-to-conv, and on the CPU backend. */
async function check(name: string, batch: number) {
  const graph = loadExample(name);
  const weights = randomWeights(graph, 3);
  const inputs = seededInputs(graph, batch);
  const want = await reference(graph, weights, inputs);
  const got = await runOn(webgpuBackend, graph, weights, inputs);
  const rewritten = runPasses(graph, ['fc-to-conv'], weights);
  expect(rewritten.graph.nodes.some((n) => n.op === 'dense')).toBe(false);
  const gotConv = await runOn(webgpuBackend, rewritten.graph, rewritten.weights!, inputs);
  return { want, got, gotConv };
}

describeGpu('examples end to end: webgpu against the cpu backend', () => {
  for (const [name, batch] of [
    ['lenet5', 3],
    ['mlp-fashion', 4],
    ['cnn-fashion', 2],
    ['resnet18', 1],
    ['googlenet', 1],
    ['alexnet', 1],
    ['vgg16', 1],
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
    }, 300_000);
  }
});
