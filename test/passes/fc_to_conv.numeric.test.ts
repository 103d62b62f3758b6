import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../packages/backend-cpu/src/index.js';
import type { Graph, Tensor, Weights } from '../../packages/core/src/index.js';
import { runPasses, verifyRewrite } from '../../packages/core/src/index.js';
import { chain } from '../../packages/core/test/passes/build.js';
import { loadExample } from '../onnx/harness.js';
import { randomWeights } from './random_weights.js';

async function check(graph: Graph, batch: number) {
  const weights = randomWeights(graph, 7);
  const { graph: after, weights: mapped } = runPasses(graph, ['fc-to-conv'], weights);
  expect(after.nodes.some((n) => n.op === 'dense')).toBe(false);
  return verifyRewrite(graph, after, () => mapped!, cpuBackend, { seed: 11, weights, batch });
}

const lenetLike = chain(
  'lenet_like',
  ['image', ['N', 1, 12, 12]],
  [
    ['c1', 'conv', { channels: 4, kernel: 3 }],
    ['r1', 'relu'],
    ['p1', 'maxpool', { kernel: 2 }],
    ['flat', 'flatten'],
    ['f1', 'dense', { units: 16 }],
    ['r2', 'tanh'],
    ['d1', 'dropout'],
    ['f2', 'dense', { units: 10 }],
    ['prob', 'softmax'],
  ],
);

const vggLike = chain(
  'vgg_like',
  ['image', ['N', 3, 16, 16]],
  [
    ['c1', 'conv', { channels: 8, kernel: 3, pad: 1 }],
    ['r1', 'relu'],
    ['p1', 'maxpool', { kernel: 2 }],
    ['c2', 'conv', { channels: 16, kernel: 3, pad: 1 }],
    ['r2', 'relu'],
    ['p2', 'maxpool', { kernel: 2 }],
    ['flat', 'flatten'],
    ['fc6', 'dense', { units: 32 }],
    ['r6', 'relu'],
    ['d6', 'dropout'],
    ['fc7', 'dense', { units: 32 }],
    ['r7', 'relu'],
    ['d7', 'dropout'],
    ['fc8', 'dense', { units: 5 }],
  ],
);

describe('fc-to-conv keeps outputs (CPU backend)', () => {
  it('on a LeNet-like net', async () => {
    const { outputs, maxRel } = await check(lenetLike, 2);
    expect(outputs[0]!.shape).toEqual([2, 10]);
    expect(maxRel).toBeLessThan(1e-5);
  });

  it('on a VGG-like net', async () => {
    const { outputs, maxRel } = await check(vggLike, 3);
    expect(outputs[0]!.after).toBe('fc8_flat');
    expect(maxRel).toBeLessThan(1e-5);
  });

  it('on an MLP, batchnorm and gelu between the layers', async () => {
    const mlp = chain(
      'mlp',
      ['x', ['N', 20]],
      [
        ['fc1', 'dense', { units: 16 }],
        ['a1', 'tanh'],
        ['fc2', 'dense', { units: 8, bias: false }],
        ['bn2', 'batchnorm'],
        ['a2', 'gelu'],
        ['fc3', 'dense', { units: 3 }],
      ],
    );
    const { outputs, maxRel } = await check(mlp, 4);
    expect(outputs[0]!.shape).toEqual([4, 3]);
    expect(maxRel).toBeLessThan(1e-5);
  });

  it('on a head with dropout between flatten and dense (AlexNet order)', async () => {
    const head = chain(
      'alex_like',
      ['features', ['N', 6, 5, 5]],
      [
        ['flat', 'flatten'],
        ['drop', 'dropout'],
        ['fc6', 'dense', { units: 12 }],
        ['r6', 'leaky_relu'],
        ['fc7', 'dense', { units: 4 }],
      ],
    );
    expect((await check(head, 2)).maxRel).toBeLessThan(1e-5);
  });
});

describe('flatten order matters', () => {
  // A map 3 channels x 2 x 3: flattened feature c*6 + i*3 + j must meet kernel tap (c, i, j).
  const graph = chain(
    'order',
    ['x', ['N', 3, 2, 3]],
    [
      ['flat', 'flatten'],
      ['fc', 'dense', { units: 4 }],
    ],
  );
  const weights = randomWeights(graph, 3);

  /** Reads the dense weight as if flatten had been h, then w, then C (NHWC order). */
  const channelsLast = (w: Weights): Weights => {
    const fc = w.get('fc.weight')!;
    const [units, c, h, wd] = [4, 3, 2, 3];
    const data = new Float32Array(fc.data.length);
    for (let u = 0; u < units; u++)
      for (let ch = 0; ch < c; ch++)
        for (let i = 0; i < h; i++)
          for (let j = 0; j < wd; j++) {
            const nhwc = (i * wd + j) * c + ch;
            data[((u * c + ch) * h + i) * wd + j] = fc.data[u * c * h * wd + nhwc]!;
          }
    const out = new Map(w);
    out.set('fc.weight', { dtype: 'f32', shape: [units, c, h, wd], data } as Tensor);
    return out;
  };

  it('is exact with the NCHW reinterpretation and far off with an NHWC one', async () => {
    const { graph: after, weights: right } = runPasses(graph, ['fc-to-conv'], weights);
    const options = { seed: 5, weights, batch: 4 };
    const good = await verifyRewrite(graph, after, () => right!, cpuBackend, options);
    const bad = await verifyRewrite(graph, after, channelsLast, cpuBackend, options);
    expect(good.maxRel).toBeLessThan(1e-6);
    expect(bad.maxRel).toBeGreaterThan(0.1);
  });
});

// The shipped architectures themselves, on the CPU backend. VGG-16's pair of passes takes over a
// minute on one core, so its numeric check lives in `pnpm demo` (`rewrite --verify`) and in
// test/onnx/examples.test.ts (onnxruntime on its fc-to-conv file against Kiln's original).
describe('fc-to-conv keeps outputs on the examples (CPU backend)', () => {
  it.each([
    ['lenet5', 3],
    ['mlp-fashion', 7],
    ['alexnet', 1],
  ])(
    '%s, batch %i',
    async (name, batch) => {
      const { outputs, maxRel } = await check(loadExample(name), batch);
      expect(outputs[0]!.shape[0]).toBe(batch);
      expect(maxRel).toBeLessThan(1e-5);
    },
    120_000,
  );
});
