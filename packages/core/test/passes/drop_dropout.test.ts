import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/index.js';
import { dropDropout } from '../../src/index.js';
import { chain, node, shapesOf, structure } from './build.js';

const run = (graph: Graph, training = false) =>
  dropDropout.run(graph, shapesOf(graph), { training });

describe('drop-dropout', () => {
  it('removes dropouts, including chains of them, and rewires readers and outputs', () => {
    const before: Graph = {
      name: 'd',
      nodes: [
        node('x', 'input', [], { shape: ['N', 8] }),
        node('fc1', 'dense', ['x'], { units: 4 }),
        node('d1', 'dropout', ['fc1']),
        node('d2', 'dropout', ['d1'], { p: 0.2 }),
        node('fc2', 'dense', ['d2'], { units: 2 }),
        node('d3', 'dropout', ['fc2']),
      ],
      outputs: ['d3', 'd1'],
    };
    const { graph, report } = run(before);
    const expected: Graph = {
      name: 'd',
      nodes: [
        node('x', 'input', [], { shape: ['N', 8] }),
        node('fc1', 'dense', ['x'], { units: 4 }),
        node('fc2', 'dense', ['fc1'], { units: 2 }),
      ],
      outputs: ['fc2', 'fc1'],
    };
    expect(structure(graph)).toEqual(structure(expected));
    expect(report.changed.map((c) => c.node)).toEqual(['d1', 'd2', 'd3']);
    expect(report.notes).toEqual(['output `d3` is now `fc2`', 'output `d1` is now `fc1`']);
  });

  it('changes nothing in a model without dropout, or for training', () => {
    const plain = chain('p', ['x', ['N', 3]], [['fc', 'dense', { units: 2 }]]);
    expect(run(plain).graph.nodes).toEqual(plain.nodes);
    expect(run(plain).report.changed).toEqual([]);
    const withDropout = chain('w', ['x', ['N', 3]], [['d', 'dropout']]);
    const trained = run(withDropout, true);
    expect(trained.graph).toBe(withDropout);
    expect(trained.report.skipped).toEqual([
      { node: 'd', why: 'dropout is kept for training (it acts only there)' },
    ]);
  });
});
