import { describe, expect, it } from 'vitest';
import type { Graph, Tensor } from '../../src/index.js';
import { foldBatchnorm } from '../../src/index.js';
import { chain, node, shapesOf, structure } from './build.js';

const run = (graph: Graph, training = false) =>
  foldBatchnorm.run(graph, shapesOf(graph), { training });
const t = (shape: number[], values: number[]): Tensor => ({
  dtype: 'f32',
  shape,
  data: Float32Array.from(values),
});

describe('fold-batchnorm structure', () => {
  it('removes the batchnorm, gives the conv a bias and rewires its readers', () => {
    const before = chain(
      'cbr',
      ['x', ['N', 3, 8, 8]],
      [
        ['c1', 'conv', { channels: 4, kernel: 3, bias: false }],
        ['bn1', 'batchnorm'],
        ['r1', 'relu'],
      ],
    );
    const { graph, report } = run(before);
    const expected = chain(
      'cbr',
      ['x', ['N', 3, 8, 8]],
      [
        ['c1', 'conv', { channels: 4, kernel: 3, bias: true }],
        ['r1', 'relu'],
      ],
    );
    expect(structure(graph)).toEqual(structure(expected));
    expect(report.changed).toEqual([{ node: 'c1', what: 'batchnorm `bn1` folded into this conv' }]);
  });

  it('names the fused layer after a batchnorm that is a model output', () => {
    const before = chain(
      'db',
      ['x', ['N', 5]],
      [
        ['fc', 'dense', { units: 2 }],
        ['bn', 'batchnorm', { eps: 0.001 }],
      ],
    );
    const { graph } = run(before);
    expect(structure(graph)).toEqual(
      structure(chain('db', ['x', ['N', 5]], [['bn', 'dense', { units: 2 }]])),
    );
  });

  it('leaves alone a batchnorm after a relu, after a shared conv, and in training', () => {
    const graph: Graph = {
      name: 'no',
      nodes: [
        node('x', 'input', [], { shape: ['N', 2, 4, 4] }),
        node('c', 'conv', ['x'], { channels: 2, kernel: 1 }),
        node('bn1', 'batchnorm', ['c']),
        node('r', 'relu', ['c']),
        node('bn2', 'batchnorm', ['r']),
      ],
      outputs: ['bn1', 'bn2'],
    };
    const { graph: after, report, mapWeights } = run(graph);
    expect(after).toBe(graph);
    expect(mapWeights).toBeUndefined();
    expect(report.skipped).toEqual([
      { node: 'bn1', why: '`c` has other readers, which need the unnormalised values' },
      { node: 'bn2', why: 'reads `r` (relu), not a conv or dense' },
    ]);
    const simple = chain(
      's',
      ['x', ['N', 2, 4, 4]],
      [
        ['c', 'conv', { channels: 2, kernel: 1 }],
        ['bn', 'batchnorm'],
      ],
    );
    const trained = run(simple, true);
    expect(trained.graph).toBe(simple);
    expect(trained.report.skipped[0]!.why).toMatch(/training uses batch statistics/);
  });
});

describe('fold-batchnorm values', () => {
  // A 1x1 conv, 1 input channel, 2 output channels; eps = 1 so that var + eps = 4 and 1:
  //   scale = gamma / sqrt(var + eps) = [2 / 2, 0.5 / 1] = [1, 0.5]
  //   W' = W * scale = [2 * 1, 3 * 0.5] = [2, 1.5]
  //   b' = (b - mean) * scale + beta = [(1 - 1) * 1 + 0.1, (-1 - 2) * 0.5 + 0.2] = [0.1, -1.3]
  //   without a bias b = 0: [(0 - 1) * 1 + 0.1, (0 - 2) * 0.5 + 0.2] = [-0.9, -0.8]
  const norm = [
    ['bn.weight', t([2], [2, 0.5])],
    ['bn.bias', t([2], [0.1, 0.2])],
    ['bn.running_mean', t([2], [1, 2])],
    ['bn.running_var', t([2], [3, 0])],
  ] as const;
  const graph = (bias: boolean) =>
    chain(
      'v',
      ['x', ['N', 1, 2, 2]],
      [
        ['c', 'conv', { channels: 2, kernel: 1, bias }],
        ['bn', 'batchnorm', { eps: 1 }],
        ['r', 'relu'],
      ],
    );

  it('scales each filter and shifts the bias', () => {
    const weights = new Map<string, Tensor>([
      ['c.weight', t([2, 1, 1, 1], [2, 3])],
      ['c.bias', t([2], [1, -1])],
      ...norm,
    ]);
    const out = run(graph(true)).mapWeights!(weights);
    expect([...out.keys()].sort()).toEqual(['c.bias', 'c.weight']);
    expect(out.get('c.weight')!.shape).toEqual([2, 1, 1, 1]);
    expect([...out.get('c.weight')!.data]).toEqual([2, 1.5]);
    const b = out.get('c.bias')!.data;
    expect(b[0]).toBeCloseTo(0.1, 6);
    expect(b[1]).toBeCloseTo(-1.3, 6);
  });

  it('treats a missing bias as zero', () => {
    const weights = new Map<string, Tensor>([['c.weight', t([2, 1, 1, 1], [2, 3])], ...norm]);
    const out = run(graph(false)).mapWeights!(weights);
    const b = out.get('c.bias')!.data;
    expect(b[0]).toBeCloseTo(-0.9, 6);
    expect(b[1]).toBeCloseTo(-0.8, 6);
  });

  it('names a missing statistic', () => {
    const weights = new Map<string, Tensor>([['c.weight', t([2, 1, 1, 1], [2, 3])]]);
    expect(() => run(graph(false)).mapWeights!(weights)).toThrow('`bn.weight` is missing');
  });
});
