/**
 * Every op's gradient against finite differences on the CPU backend: parameter gradients and
 * dL/d(input), through core's autodiff and the CPU backward kernels. Shapes are small and odd
 * so that a transposed index or a wrong window edge shows.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@kiln/core';
import { gradCheck, model, random } from './gradcheck.js';

const one = (body: string, shape: string) => model(`model t {\n  input x: f32${shape}\n${body}\n}`);

/** Inputs kept at least `gap` away from zero, so ±h never crosses a kink (relu, leaky relu). */
function awayFromZero(shape: number[], seed: number, gap = 0.05): Tensor {
  const t = random(shape, seed);
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i]!;
    t.data[i] = v >= 0 ? v + gap : v - gap;
  }
  return t;
}

/** Values with pairwise gaps far above h, so max pooling never changes its choice under ±h. */
function distinct(shape: number[], seed: number): Tensor {
  const t = random(shape, seed);
  const order = [...t.data.keys()].sort((a, b) => t.data[a]! - t.data[b]!);
  order.forEach((i, rank) => (t.data[i] = (rank - order.length / 2) * 0.1));
  return t;
}

const cases: { name: string; body: string; shape: number[]; x?: Tensor; h?: number }[] = [
  { name: 'dense', body: '  dense 4', shape: [3, 5] },
  { name: 'dense without bias', body: '  dense 3 bias=false', shape: [2, 6] },
  { name: 'two dense layers (chain rule)', body: '  dense 4 tanh\n  dense 2', shape: [3, 5] },
  { name: 'conv 3x3', body: '  conv 3 kernel=3', shape: [2, 2, 5, 6] },
  { name: 'conv stride 2 pad 1', body: '  conv 2 kernel=3 stride=2 pad=1', shape: [2, 3, 7, 6] },
  {
    name: 'conv uneven pad, 2x3 kernel',
    body: '  conv 2 kernel=[2, 3] pad=[1, 0, 0, 2]',
    shape: [1, 2, 5, 4],
  },
  { name: 'conv dilation 2', body: '  conv 2 kernel=3 dilation=2 pad=2', shape: [2, 2, 6, 7] },
  { name: 'conv groups 2', body: '  conv 4 kernel=3 groups=2 pad=1', shape: [2, 4, 5, 5] },
  {
    name: 'conv depthwise, no bias',
    body: '  conv 3 kernel=3 groups=3 bias=false',
    shape: [1, 3, 5, 5],
  },
  { name: 'conv 1x1', body: '  conv 3 kernel=1', shape: [2, 4, 3, 3] },
  {
    name: 'maxpool 2',
    body: '  maxpool 2',
    shape: [2, 2, 4, 6],
    x: distinct([2, 2, 4, 6], 3),
    h: 1e-3,
  },
  {
    name: 'maxpool 3 stride 2 pad 1 ceil',
    body: '  maxpool 3 stride=2 pad=1 ceil_mode=true',
    shape: [1, 2, 6, 5],
    x: distinct([1, 2, 6, 5], 4),
    h: 1e-3,
  },
  { name: 'avgpool 2', body: '  avgpool 2', shape: [2, 2, 4, 6] },
  { name: 'avgpool 3 stride 2 pad 1', body: '  avgpool 3 stride=2 pad=1', shape: [1, 2, 5, 6] },
  {
    name: 'avgpool pad excluded, ceil',
    body: '  avgpool 3 stride=2 pad=1 count_include_pad=false ceil_mode=true',
    shape: [1, 2, 6, 5],
  },
  { name: 'global avgpool', body: '  global_avgpool', shape: [2, 3, 3, 4] },
  { name: 'flatten then dense', body: '  flatten\n  dense 3', shape: [2, 2, 2, 3] },
  { name: 'reshape', body: '  reshape [3, -1]\n  softmax axis=1', shape: [2, 2, 3, 2] },
  { name: 'relu', body: '  relu', shape: [3, 7], x: awayFromZero([3, 7], 5) },
  { name: 'leaky relu', body: '  leaky_relu 0.2', shape: [3, 7], x: awayFromZero([3, 7], 6) },
  { name: 'sigmoid', body: '  sigmoid', shape: [3, 7] },
  { name: 'tanh', body: '  tanh', shape: [3, 7] },
  { name: 'gelu', body: '  gelu', shape: [3, 7] },
  { name: 'gelu tanh form', body: '  gelu approximate=tanh', shape: [3, 7] },
  { name: 'softmax', body: '  softmax', shape: [3, 5] },
  { name: 'softmax on the last axis of a map', body: '  softmax axis=-1', shape: [2, 2, 3, 4] },
  { name: 'batchnorm 2-D', body: '  batchnorm', shape: [5, 3] },
  { name: 'batchnorm 4-D', body: '  batchnorm', shape: [3, 2, 3, 3] },
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
];

describe('gradients against finite differences (cpu)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const graph = one(c.body, `[${c.shape.join(', ')}]`);
      const x = c.x ?? random(c.shape, c.name.length);
      const report = await gradCheck({ graph, inputs: { x }, ...(c.h ? { h: c.h } : {}) });
      expect(report.checked).toContain('x');
    });
  }

  it('dropout with a fed mask', async () => {
    const graph = one('  d = dropout 0.25\n  dense 3', '[4, 6]');
    const mask = random([4, 6], 11);
    for (let i = 0; i < mask.data.length; i++) mask.data[i] = mask.data[i]! > 0 ? 1 : 0;
    const report = await gradCheck({ graph, inputs: { x: random([4, 6], 12), 'd@mask': mask } });
    expect(report.checked).toEqual(expect.arrayContaining(['x', 'dense1.weight']));
  });
});

describe('loss gradients against finite differences (cpu)', () => {
  it('cross-entropy of softmax, one-hot and soft targets', async () => {
    const graph = one('  dense 4', '[3, 5]');
    const target: Tensor = {
      dtype: 'f32',
      shape: [3, 4],
      data: new Float32Array([0, 1, 0, 0, 0.25, 0.25, 0.5, 0, 1, 0, 0, 0]),
    };
    const x = random([3, 5], 21, 2);
    await gradCheck({ graph, inputs: { x }, loss: 'softmax_cross_entropy', target });
  });

  it('binary cross-entropy of sigmoid', async () => {
    const graph = one('  dense 1', '[4, 3]');
    const target: Tensor = { dtype: 'f32', shape: [4, 1], data: new Float32Array([1, 0, 0, 1]) };
    await gradCheck({ graph, inputs: { x: random([4, 3], 22) }, loss: 'sigmoid_bce', target });
  });

  it('mean squared error', async () => {
    const graph = one('  dense 2', '[3, 4]');
    await gradCheck({ graph, inputs: { x: random([3, 4], 23) }, loss: 'mse_loss' });
  });
});
