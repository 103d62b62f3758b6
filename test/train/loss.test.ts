/**
 * The fused losses at extreme logits, where an unfused softmax then log gives 0·log 0 = NaN or
 * log 0 = -Infinity: the values and gradients must be exact (they are representable exactly).
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@kiln/core';
import { buildTrainingGraph } from '@kiln/core';
import { cpuBackend } from '@kiln/backend-cpu';
import { model } from './gradcheck.js';

const t = (shape: number[], values: number[]): Tensor => ({
  dtype: 'f32',
  shape,
  data: Float32Array.from(values),
});

async function lossAndGrad(kind: 'softmax_cross_entropy' | 'sigmoid_bce', z: Tensor, y: Tensor) {
  const graph = model(`model m {\n  input x: f32[N, ${z.shape[1]}]\n  relu\n}\n`);
  // The loss reads the input directly: the gradient asked for is dL/dz itself.
  const g = { ...graph, outputs: ['x'] };
  const tg = buildTrainingGraph(g, { kind, prediction: 'x' }, { inputGrads: ['x'] });
  const out = await (await cpuBackend.compile(tg.graph, new Map())).run({ x: z, [tg.target]: y });
  return { loss: out[tg.loss]!.data[0]!, grad: [...out[tg.inputGrads.get('x')!]!.data] };
}

describe('numerically stable losses', () => {
  it('cross-entropy of softmax is exact at logits of ±1e4', async () => {
    const z = t([2, 3], [1e4, -1e4, 0, -1e4, 1e4, -1e4]);
    const y = t([2, 3], [1, 0, 0, 1, 0, 0]);
    const { loss, grad } = await lossAndGrad('softmax_cross_entropy', z, y);
    // Sample 1 is right with certainty (loss 0); sample 2 is wrong by 2e4.
    expect(loss).toBe(1e4);
    expect(grad).toEqual([0, 0, 0, -0.5, 0.5, 0]);
  });

  it('binary cross-entropy of sigmoid is exact at logits of ±1e4', async () => {
    const z = t([4, 1], [1e4, -1e4, 1e4, -1e4]);
    const y = t([4, 1], [1, 0, 0, 1]);
    const { loss, grad } = await lossAndGrad('sigmoid_bce', z, y);
    expect(loss).toBe(5e3); // (0 + 0 + 1e4 + 1e4) / 4
    expect(grad).toEqual([0, 0, 0.25, -0.25]);
  });
});
