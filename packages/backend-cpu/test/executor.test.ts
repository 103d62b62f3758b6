import { describe, expect, it } from 'vitest';
import { checkGraph, initWeights } from '@kiln/core';
import type { Graph, Node, Tensor, Weights } from '@kiln/core';
import { cpuBackend } from '../src/index.js';
import { makePlan } from '../src/plan.js';
import { node, randomTensor } from './graph.js';

const residual: Graph = {
  name: 'branchy',
  nodes: [
    node('x', 'input', [], { shape: ['N', 3, 6, 6] }),
    node('c1', 'conv', ['x'], { channels: 4, kernel: 3, pad: 1 }),
    node('r1', 'relu', ['c1']),
    node('c2', 'conv', ['r1'], { channels: 4, kernel: 3, pad: 1 }),
    node('sum', 'add', ['r1', 'c2', 'r1']),
    node('r2', 'relu', ['sum']),
    node('c3', 'conv', ['r1'], { channels: 2, kernel: 1 }),
    node('cat', 'concat', ['r2', 'c3', 'x']),
    node('pool', 'maxpool', ['cat'], { kernel: 2 }),
    node('flat', 'flatten', ['pool']),
    node('fc', 'dense', ['flat'], { units: 5 }),
  ],
  outputs: ['fc', 'sum'],
};

/** Runs each node alone (a one-op graph per node): no buffer is ever shared between nodes. */
async function nodeByNode(g: Graph, weights: Weights, x: Tensor): Promise<Map<string, Tensor>> {
  const values = new Map<string, Tensor>([['x', x]]);
  for (const n of g.nodes.slice(1)) {
    const ins = n.inputs.filter((v, i) => n.inputs.indexOf(v) === i);
    const inputs: Node[] = ins.map((name) =>
      node(name, 'input', [], { shape: [...values.get(name)!.shape] }),
    );
    const single: Graph = { name: n.name, nodes: [...inputs, n], outputs: [n.name] };
    const w = new Map([...weights].filter(([k]) => k.startsWith(`${n.name}.`)));
    const session = await cpuBackend.compile(single, w);
    const out = await session.run(Object.fromEntries(ins.map((name) => [name, values.get(name)!])));
    values.set(n.name, out[n.name]!);
  }
  return values;
}

describe('executor', () => {
  it('reuses buffers along a chain', () => {
    const nodes = [node('x', 'input', [], { shape: ['N', 4] })];
    for (let i = 0; i < 6; i++) nodes.push(node(`r${i}`, 'relu', [i ? `r${i - 1}` : 'x']));
    const g: Graph = { name: 'chain', nodes, outputs: ['r5'] };
    const plan = makePlan(g, new Map(nodes.map((n) => [n.name, 4])));
    expect(plan.slotSizes.length).toBe(2);
  });

  it('keeps results right on a branching graph (residual add, concat, extra output)', async () => {
    const { shapes } = checkGraph(residual);
    const weights = initWeights(residual, shapes, 3);
    const session = await cpuBackend.compile(residual, weights);
    const sizes = new Map(
      [
        ...checkGraph({
          ...residual,
          nodes: [node('x', 'input', [], { shape: [7, 3, 6, 6] }), ...residual.nodes.slice(1)],
        }).shapes,
      ].map(([k, s]) => [k, (s as number[]).reduce((a, b) => a * b, 1)]),
    );
    const plan = makePlan(residual, sizes);
    expect(plan.slotSizes.length).toBeLessThan(residual.nodes.length - 1); // reuse happened
    for (const seed of [1, 2]) {
      const x = randomTensor([7, 3, 6, 6], seed);
      const want = await nodeByNode(residual, weights, x);
      const got = await session.run({ x });
      expect(got['fc']!.shape).toEqual([7, 5]);
      expect(got['fc']!.data).toEqual(want.get('fc')!.data);
      expect(got['sum']!.data).toEqual(want.get('sum')!.data);
      got['fc']!.data.fill(123); // outputs are copies: this must not leak into the next run
    }
  });
});
