import { describe, expect, it } from 'vitest';
import { DiagnosticError, checkGraph, initWeights } from '@kiln/core';
import type { Diagnostic, Graph, Tensor } from '@kiln/core';
import { cpuBackend, createCpuBackend } from '../src/index.js';
import { node, randomTensor } from './graph.js';

async function failure(p: Promise<unknown>): Promise<Diagnostic[]> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DiagnosticError);
    return [...(e as DiagnosticError).diagnostics];
  }
  throw new Error('expected a DiagnosticError');
}

const mlp: Graph = {
  name: 'mlp',
  nodes: [
    node('x', 'input', [], { shape: ['N', 3] }),
    node('fc', 'dense', ['x'], { units: 2 }),
    node('act', 'relu', ['fc']),
  ],
  outputs: ['act'],
};
const mlpWeights = new Map<string, Tensor>([
  ['fc.weight', { dtype: 'f32', shape: [2, 3], data: new Float32Array([1, 2, 3, -1, 0, 1]) }],
  ['fc.bias', { dtype: 'f32', shape: [2], data: new Float32Array([0.5, -0.5]) }],
]);

describe('cpu backend', () => {
  it('claims exactly the ops it has kernels for', () => {
    expect(cpuBackend.name).toBe('cpu');
    expect(cpuBackend.capabilities.ops.has('conv')).toBe(true);
    expect([...createCpuBackend({ ops: ['relu'] }).capabilities.ops].sort()).toEqual([
      'input',
      'relu',
    ]);
  });

  it('computes a small MLP by hand, for batch 1 and batch 7, and says who ran it', async () => {
    const session = await cpuBackend.compile(mlp, mlpWeights);
    expect(session.info.backend).toBe('cpu');
    // [1, 1, 1]: fc = [1+2+3+0.5, -1+0+1-0.5] = [6.5, -0.5]; relu -> [6.5, 0].
    const one = await session.run({
      x: { dtype: 'f32', shape: [1, 3], data: new Float32Array([1, 1, 1]) },
    });
    expect(one['act']).toEqual({ dtype: 'f32', shape: [1, 2], data: new Float32Array([6.5, 0]) });
    const data = new Float32Array(21);
    for (let b = 0; b < 7; b++) data.set([b, 0, -b], 3 * b); // fc = [b - 3b + .5, -b - b - .5]
    const seven = (await session.run({ x: { dtype: 'f32', shape: [7, 3], data } }))['act']!;
    expect(seven.shape).toEqual([7, 2]);
    expect([...seven.data]).toEqual([0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('refuses an op it does not claim, naming node and op', async () => {
    const narrow = createCpuBackend({ ops: ['dense'] });
    const found = await failure(narrow.compile(mlp, mlpWeights));
    expect(found.map((d) => [d.code, d.message, d.span?.line])).toEqual([
      ['backend/unsupported-op', 'the cpu backend does not run op `relu` (node `act`)', 1],
    ]);
  });

  it('refuses bad weights at compile time', async () => {
    const w = new Map(mlpWeights);
    w.delete('fc.bias');
    const found = await failure(cpuBackend.compile(mlp, w));
    expect(found.map((d) => d.code)).toEqual(['weights/missing']);
  });

  it('validates inputs: wrong shape, missing, unknown, NaN, wrong length', async () => {
    const session = await cpuBackend.compile(mlp, mlpWeights);
    const t = (shape: number[], values: number[]): Tensor => ({
      dtype: 'f32',
      shape,
      data: new Float32Array(values),
    });
    const messages = async (inputs: Record<string, Tensor>) =>
      (await failure(session.run(inputs))).map((d) => `${d.code}: ${d.message}`);
    expect(await messages({ x: t([1, 4], [1, 2, 3, 4]) })).toEqual([
      'cpu/input-shape: input `x` expects shape [N, 3], got [1, 4] (dimension 1 is 4, expected 3)',
    ]);
    expect(await messages({ x: t([3], [1, 2, 3]) })).toEqual([
      'cpu/input-shape: input `x` expects shape [N, 3], got [3]',
    ]);
    expect(await messages({})).toEqual(['cpu/missing-input: missing input `x` [N, 3]']);
    expect(await messages({ x: t([1, 3], [1, NaN, 3]), y: t([1], [0]) })).toEqual([
      'cpu/input-non-finite: input `x` holds NaN (first at flat index 1)',
      'cpu/unknown-input: model `mlp` has no input `y`',
    ]);
    expect(await messages({ x: t([1, 3], [1, 2, -Infinity]) })).toEqual([
      'cpu/input-non-finite: input `x` holds -Infinity (first at flat index 2)',
    ]);
    expect(await messages({ x: t([2, 3], [1, 2, 3]) })).toEqual([
      'cpu/input-size: input `x` of shape [2, 3] needs 6 values, got 3',
    ]);
  });

  it('binds symbols consistently across inputs and with compile-time dims', async () => {
    const g: Graph = {
      name: 'two',
      nodes: [
        node('a', 'input', [], { shape: ['N', 'C'] }),
        node('b', 'input', [], { shape: ['N', 'C'] }),
        node('s', 'add', ['a', 'b']),
      ],
      outputs: ['s'],
    };
    const session = await cpuBackend.compile(g, new Map(), { dims: { C: 2 } });
    const t = (shape: number[]) => randomTensor(shape, 3);
    const found = await failure(session.run({ a: t([1, 2]), b: t([2, 2]) }));
    expect(found[0]!.message).toBe('input `b` expects shape [N, C] with N = 1, got [2, 2]');
    const dims = await failure(session.run({ a: t([1, 3]), b: t([1, 3]) }));
    expect(dims[0]!.message).toBe('input `a` expects shape [N, C] with C = 2, got [1, 3]');
  });

  it('runs a fully convolutional net at two spatial sizes (H, W bound at run time)', async () => {
    const g: Graph = {
      name: 'fcn',
      nodes: [
        node('img', 'input', [], { shape: ['N', 2, 'H', 'W'] }),
        node('c', 'conv', ['img'], { channels: 3, kernel: 3 }),
        node('p', 'global_avgpool', ['c']),
      ],
      outputs: ['c', 'p'],
    };
    const { shapes } = checkGraph(g);
    const session = await cpuBackend.compile(g, initWeights(g, shapes, 1));
    for (const [h, w] of [
      [5, 5],
      [9, 6],
    ] as const) {
      const out = await session.run({ img: randomTensor([2, 2, h, w], h) });
      expect(out['c']!.shape).toEqual([2, 3, h - 2, w - 2]);
      expect(out['p']!.shape).toEqual([2, 3, 1, 1]);
      // The pool output is the mean of the conv output it was computed from.
      const area = (h - 2) * (w - 2);
      const mean = out['c']!.data.subarray(0, area).reduce((a, b) => a + b, 0) / area;
      expect(out['p']!.data[0]).toBeCloseTo(mean, 5);
    }
    const small = await failure(session.run({ img: randomTensor([1, 2, 2, 2], 0) }));
    expect(small[0]!.code).toBe('ir/shape');
  });
});
