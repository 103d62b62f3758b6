import { describe, expect, it } from 'vitest';
import { checkGraph } from '../ir/check.js';
import type { Graph, Node } from '../ir/types.js';
import { resolveAttrs } from '../ops/attrs.js';
import { getOp } from '../ops/registry.js';
import { initScheme, initWeights } from './init.js';
import { Rng } from './prng.js';

function node(name: string, op: string, inputs: string[], raw: Record<string, unknown> = {}): Node {
  const map = new Map(Object.entries(raw).map(([k, v]) => [k, { value: v as never }]));
  const { attrs, diagnostics } = resolveAttrs(getOp(op)!, map, { node: name });
  expect(diagnostics).toEqual([]);
  return { name, op, inputs, attrs };
}

function net(extra = false): Graph {
  const nodes = [
    node('x', 'input', [], { shape: ['N', 3, 8, 8] }),
    node('c1', 'conv', ['x'], { channels: 4, kernel: 3 }),
    node('bn1', 'batchnorm', ['c1']),
    node('r1', 'relu', ['bn1']),
    ...(extra ? [node('c2', 'conv', ['r1'], { channels: 4, kernel: 1 })] : []),
    node('f', 'flatten', [extra ? 'c2' : 'r1']),
    node('fc', 'dense', ['f'], { units: 10 }),
    node('t', 'tanh', ['fc']),
  ];
  return { name: 'net', nodes, outputs: ['t'] };
}

function weightsOf(graph: Graph, seed: number) {
  const { shapes, diagnostics } = checkGraph(graph);
  expect(diagnostics).toEqual([]);
  return initWeights(graph, shapes, seed);
}

describe('initWeights', () => {
  it('chooses He before a rectifier (also through batchnorm), Xavier otherwise', () => {
    const g = net();
    expect(initScheme(g, 'c1')).toBe('he');
    expect(initScheme(g, 'fc')).toBe('xavier');
  });

  it('fills every parameter and buffer with the right shape and init', () => {
    const w = weightsOf(net(), 5);
    expect([...w.keys()].sort()).toEqual(
      [
        'bn1.bias',
        'bn1.running_mean',
        'bn1.running_var',
        'bn1.weight',
        'c1.bias',
        'c1.weight',
        'fc.bias',
        'fc.weight',
      ].sort(),
    );
    expect(w.get('c1.weight')!.shape).toEqual([4, 3, 3, 3]);
    expect([...w.get('c1.bias')!.data]).toEqual([0, 0, 0, 0]);
    expect([...w.get('bn1.running_var')!.data]).toEqual([1, 1, 1, 1]);
    expect([...w.get('bn1.weight')!.data]).toEqual([1, 1, 1, 1]);
  });

  it('is reproducible and pinned to the algorithm', () => {
    const a = weightsOf(net(), 42).get('c1.weight')!.data;
    const b = weightsOf(net(), 42).get('c1.weight')!.data;
    expect(a).toEqual(b);
    // He: first normal of stream (42, 'c1.weight') times sqrt(2 / 27), rounded to float32.
    const rng = Rng.forTensor(42, 'c1.weight');
    const std = Math.sqrt(2 / 27);
    expect(a[0]).toBe(Math.fround(rng.normal() * std));
    expect(a[1]).toBe(Math.fround(rng.normal() * std));
    // Xavier: first uniform of (42, 'fc.weight'), limit sqrt(6 / (144 + 10)); flatten gives 4*6*6 = 144.
    const fc = weightsOf(net(), 42).get('fc.weight')!.data;
    const u = Rng.forTensor(42, 'fc.weight').uniform();
    expect(fc[0]).toBe(Math.fround((2 * u - 1) * Math.sqrt(6 / 154)));
    expect(weightsOf(net(), 43).get('c1.weight')!.data[0]).not.toBe(a[0]);
  });

  it('pins exact values (changing the generator must fail this)', () => {
    // uniform 0.03974604606628418 from the Python reference, mapped to [-limit, limit).
    const g: Graph = {
      name: 'g',
      nodes: [
        node('x', 'input', [], { shape: ['N', 4] }),
        node('fc', 'dense', ['x'], { units: 2 }),
      ],
      outputs: ['fc'],
    };
    const w = weightsOf(g, 7).get('fc.weight')!.data;
    expect(w[0]).toBe(Math.fround((2 * 0.03974604606628418 - 1) * 1));
    expect(w[1]).toBe(Math.fround((2 * 0.8423463106155396 - 1) * 1));
  });

  it('leaves other layers unchanged when a layer is added', () => {
    const a = weightsOf(net(false), 9);
    const b = weightsOf(net(true), 9);
    expect(b.get('c1.weight')!.data).toEqual(a.get('c1.weight')!.data);
    expect(b.has('c2.weight')).toBe(true);
  });

  it('has He and Xavier statistics on large layers', () => {
    const g: Graph = {
      name: 'big',
      nodes: [
        node('x', 'input', [], { shape: ['N', 512] }),
        node('h', 'dense', ['x'], { units: 512 }),
        node('r', 'relu', ['h']),
        node('o', 'dense', ['r'], { units: 256 }),
      ],
      outputs: ['o'],
    };
    const w = weightsOf(g, 1);
    const std = (d: Float32Array) => {
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      return Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
    };
    const he = w.get('h.weight')!.data;
    expect(Math.abs(std(he) / Math.sqrt(2 / 512) - 1)).toBeLessThan(0.01);
    const xavier = w.get('o.weight')!.data;
    const limit = Math.sqrt(6 / (512 + 256));
    // A uniform on [-l, l) has standard deviation l / sqrt(3).
    expect(Math.abs(std(xavier) / (limit / Math.sqrt(3)) - 1)).toBeLessThan(0.01);
    expect(xavier.every((v) => v >= -limit && v < limit)).toBe(true);
  });
});
