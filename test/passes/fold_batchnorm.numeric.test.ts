import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../packages/backend-cpu/src/index.js';
import type { Graph } from '../../packages/core/src/index.js';
import { runPasses, verifyRewrite } from '../../packages/core/src/index.js';
import { chain, node } from '../../packages/core/test/passes/build.js';
import { randomWeights } from './random_weights.js';

// Running statistics drawn far from the defaults: mean in [-1, 1), var in [0.5, 2), gamma in
// [0.5, 1.5), beta in [-1, 1); eps 1e-3 so that it matters in the last digits.
const net: Graph = chain(
  'cbr',
  ['x', ['N', 4, 6, 6]],
  [
    ['c1', 'conv', { channels: 6, kernel: 3, pad: 1, bias: false }],
    ['bn1', 'batchnorm', { eps: 1e-3 }],
    ['r1', 'relu'],
    ['c2', 'conv', { channels: 6, kernel: 3, groups: 2 }],
    ['bn2', 'batchnorm'],
    ['r2', 'relu'],
    ['flat', 'flatten'],
    ['fc', 'dense', { units: 5 }],
    ['bn3', 'batchnorm', { eps: 1e-3 }],
  ],
);

describe('fold-batchnorm keeps outputs (CPU backend)', () => {
  it('after a conv without bias, a grouped conv with bias, and a dense (as output)', async () => {
    const weights = randomWeights(net, 4);
    const result = runPasses(net, ['fold-batchnorm'], weights);
    expect(result.graph.nodes.some((n) => n.op === 'batchnorm')).toBe(false);
    expect(result.graph.outputs).toEqual(['bn3']);
    const diff = await verifyRewrite(net, result.graph, () => result.weights!, cpuBackend, {
      seed: 2,
      weights,
      batch: 3,
    });
    expect(diff.maxRel).toBeLessThan(1e-5);
  });

  it('is caught when the statistics are ignored instead of folded', async () => {
    const graph = chain(
      'cb',
      ['x', ['N', 2, 3, 3]],
      [
        ['c', 'conv', { channels: 3, kernel: 1 }],
        ['bn', 'batchnorm'],
      ],
    );
    const weights = randomWeights(graph, 6);
    const after = chain('cb', ['x', ['N', 2, 3, 3]], [['bn', 'conv', { channels: 3, kernel: 1 }]]);
    const unfolded = () =>
      new Map([
        ['bn.weight', weights.get('c.weight')!],
        ['bn.bias', weights.get('c.bias')!],
      ]);
    const diff = await verifyRewrite(graph, after, unfolded, cpuBackend, { seed: 1, weights });
    expect(diff.maxRel).toBeGreaterThan(0.1);
  });
});

describe('the inference pipeline keeps outputs', () => {
  it('fold-batchnorm, drop-dropout, fc-to-conv on one net', async () => {
    const graph: Graph = {
      name: 'all',
      nodes: [
        node('x', 'input', [], { shape: ['N', 3, 8, 8] }),
        node('c1', 'conv', ['x'], { channels: 4, kernel: 3, stride: 2, pad: 1 }),
        node('bn1', 'batchnorm', ['c1']),
        node('r1', 'relu', ['bn1']),
        node('flat', 'flatten', ['r1']),
        node('drop', 'dropout', ['flat']),
        node('fc1', 'dense', ['drop'], { units: 7 }),
        node('bn2', 'batchnorm', ['fc1']),
        node('a2', 'sigmoid', ['bn2']),
        node('fc2', 'dense', ['a2'], { units: 3 }),
        node('prob', 'softmax', ['fc2']),
      ],
      outputs: ['prob'],
    };
    const weights = randomWeights(graph, 8);
    const result = runPasses(graph, ['fold-batchnorm', 'drop-dropout', 'fc-to-conv'], weights);
    expect(result.graph.nodes.map((n) => n.op)).toEqual([
      'input',
      'conv',
      'relu',
      'conv',
      'sigmoid',
      'conv',
      'softmax',
      'flatten',
    ]);
    const diff = await verifyRewrite(graph, result.graph, () => result.weights!, cpuBackend, {
      seed: 3,
      weights,
      batch: 2,
    });
    expect(diff.maxRel).toBeLessThan(1e-5);
  });
});
