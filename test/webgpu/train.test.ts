/**
 * Training graphs (core's autodiff) on WebGPU against the CPU backend: the loss, the prediction,
 * every parameter gradient, dL/dx and batchnorm's running statistics, for small models that
 * cover every backward and training-mode op. Shapes are small and odd, so a transposed index or
 * a wrong window edge shows.
 *
 * Tolerance: every output within 1e-5 of max(1, max |cpu|), the scale the forward ops are held
 * to. Gradients are small (1e-3 to 1e-1 here), so that scale alone would let a gradient be off by
 * much of itself: weight gradients are also held to 1e-4 of their own largest magnitude. 1e-4,
 * not 1e-5, because they are long sums whose order differs: dL/dW of conv sums N·OH·OW products
 * per entry, which the CPU adds image by image in its packed GEMM and the GPU in one tiled
 * product (K = N·OH·OW). Measured on a conv net with batchnorm at batch 64 on 28×28 maps, the
 * difference reached 9.5e-6 of the largest entry of a conv weight's gradient.
 */
import { expect, it } from 'vitest';
import { cpuBackend } from '../../packages/backend-cpu/src/index.js';
import { webgpuBackend } from '../../packages/backend-webgpu/src/index.js';
import type { Graph, LossKind, Tensor } from '../../packages/core/src/index.js';
import { buildTrainingGraph, checkGraph, initWeights } from '../../packages/core/src/index.js';
import { model, random } from '../train/gradcheck.js';
import { describeGpu } from './gpu.js';

const one = (body: string, shape: number[]) =>
  model(`model t {\n  input x: f32[${shape.join(', ')}]\n${body}\n}`);

interface Case {
  readonly name: string;
  readonly body: string;
  readonly shape: number[];
  readonly loss?: LossKind;
  /** Masks the training graph needs, by name. */
  readonly masks?: Record<string, number[]>;
}

const cases: Case[] = [
  { name: 'dense, tanh, dense (mse)', body: '  dense 6 tanh\n  dense 3', shape: [5, 7] },
  { name: 'dense without bias, relu', body: '  dense 4 bias=false relu\n  dense 2', shape: [3, 6] },
  {
    name: 'conv stride 2 pad 1, leaky relu',
    body: '  conv 3 kernel=3 stride=2 pad=1\n  leaky_relu 0.2',
    shape: [2, 3, 7, 6],
  },
  {
    name: 'conv uneven pad, dilation, 2x3 kernel',
    body: '  conv 2 kernel=[2, 3] pad=[1, 0, 0, 2] dilation=[2, 1]',
    shape: [2, 2, 6, 5],
  },
  {
    name: 'conv groups 2, gelu',
    body: '  conv 4 kernel=3 groups=2 pad=1\n  gelu',
    shape: [2, 4, 5, 5],
  },
  {
    name: 'depthwise conv, gelu tanh form',
    body: '  conv 3 kernel=3 groups=3 bias=false\n  gelu approximate=tanh',
    shape: [1, 3, 5, 5],
  },
  { name: 'maxpool 2 then sigmoid', body: '  maxpool 2\n  sigmoid', shape: [2, 2, 4, 6] },
  {
    name: 'maxpool 3 stride 2 pad 1 ceil, conv before',
    body: '  conv 2 kernel=1\n  maxpool 3 stride=2 pad=1 ceil_mode=true',
    shape: [1, 2, 6, 5],
  },
  {
    name: 'avgpool pad excluded, ceil',
    body: '  conv 2 kernel=1\n  avgpool 3 stride=2 pad=1 count_include_pad=false ceil_mode=true',
    shape: [1, 2, 6, 5],
  },
  {
    name: 'avgpool 3 stride 2 pad 1',
    body: '  conv 2 kernel=1\n  avgpool 3 stride=2 pad=1',
    shape: [1, 2, 5, 6],
  },
  {
    name: 'global avgpool, flatten, dense (cross-entropy)',
    body: '  conv 3 kernel=3 pad=1 relu\n  global_avgpool\n  flatten\n  dense 4',
    shape: [3, 2, 4, 5],
    loss: 'softmax_cross_entropy',
  },
  {
    name: 'reshape, softmax on a map axis',
    body: '  dense 6\n  reshape [3, -1]\n  softmax axis=1',
    shape: [2, 5],
  },
  {
    name: 'batchnorm 2-D (bce)',
    body: '  dense 3\n  batchnorm\n  dense 1',
    shape: [5, 4],
    loss: 'sigmoid_bce',
  },
  {
    name: 'batchnorm 4-D, relu',
    body: '  conv 3 kernel=1\n  batchnorm\n  relu',
    shape: [3, 2, 3, 3],
  },
  {
    name: 'add: one tensor read twice sums its gradients',
    body: '  a = dense 4\n  b = tanh\n  add(a, b)',
    shape: [3, 5],
  },
  {
    name: 'concat of two branches',
    body: '  a = conv 2 kernel=1\n  b = conv 3 kernel=3 pad=1\n  concat(a, b)',
    shape: [2, 2, 4, 4],
  },
  {
    name: 'a small CNN with batchnorm at batch 16 (cross-entropy)',
    body: [
      '  conv 8 kernel=3 pad=1',
      '  batchnorm',
      '  relu',
      '  maxpool 2',
      '  conv 8 kernel=3 pad=1',
      '  batchnorm',
      '  relu',
      '  global_avgpool',
      '  flatten',
      '  dense 10',
    ].join('\n'),
    shape: [16, 1, 14, 14],
    loss: 'softmax_cross_entropy',
  },
  {
    name: 'dropout with a fed mask',
    body: '  d = dropout 0.25\n  dense 3',
    shape: [4, 6],
    masks: { 'd@mask': [4, 6] },
  },
];

/** A seeded 0/1 mask. */
function mask(shape: number[], seed: number): Tensor {
  const t = random(shape, seed);
  for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i]! > 0 ? 1 : 0;
  return t;
}

/** A one-hot (cross-entropy), 0/1 (bce) or normal (mse) target shaped like the prediction. */
function target(kind: LossKind, shape: readonly number[]): Tensor {
  const t = random(shape, 99);
  if (kind === 'mse_loss') return t;
  const [n, k] = [shape[0]!, t.data.length / shape[0]!];
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < k; j++) {
      t.data[r * k + j] =
        kind === 'sigmoid_bce' ? Number(t.data[r * k + j]! > 0) : Number(j === (r * 7) % k);
    }
  }
  return t;
}

async function compare(c: Case): Promise<void> {
  const graph: Graph = one(c.body, c.shape);
  const { shapes } = checkGraph(graph);
  const kind = c.loss ?? 'mse_loss';
  const prediction = graph.outputs[0]!;
  const tg = buildTrainingGraph(graph, { kind, prediction }, { inputGrads: ['x'] });
  const weights = new Map(initWeights(graph, shapes, 7));
  for (const [name, t] of weights) {
    if (name.endsWith('.bias') || name.endsWith('running_mean'))
      weights.set(name, random(t.shape, name.length, 0.5));
  }
  const feeds: Record<string, Tensor> = {
    x: random(c.shape, c.name.length),
    [tg.target]: target(kind, shapes.get(prediction)! as number[]),
  };
  Object.entries(c.masks ?? {}).forEach(([name, shape], i) => (feeds[name] = mask(shape, 40 + i)));
  const [want, got] = await Promise.all(
    [cpuBackend, webgpuBackend].map(async (b) => (await b.compile(tg.graph, weights)).run(feeds)),
  );
  const weightGrads = new Set(
    [...tg.paramGrads].filter(([p]) => p.endsWith('.weight')).map(([, g]) => g),
  );
  for (const name of tg.graph.outputs) {
    const w = want![name]!;
    const g = got![name]!;
    expect(g.shape, name).toEqual(w.shape);
    let largest = 0;
    let worst = 0;
    w.data.forEach((v, i) => {
      largest = Math.max(largest, Math.abs(v));
      worst = Math.max(worst, Math.abs(g.data[i]! - v));
    });
    expect(
      worst / Math.max(1, largest),
      `${name}: error scaled by max(1, |cpu|)`,
    ).toBeLessThanOrEqual(1e-5);
    if (weightGrads.has(name)) {
      expect(worst / largest, `${name}: error relative to its largest entry`).toBeLessThanOrEqual(
        1e-4,
      );
    }
  }
}

describeGpu('training graphs: webgpu against the cpu backend', () => {
  for (const c of cases) it(c.name, () => compare(c));
});
