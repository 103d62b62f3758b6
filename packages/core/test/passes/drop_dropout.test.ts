import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/index.js';
import { checkGraph, dropDropout } from '../../src/index.js';
import { chain, node, shapesOf, structure } from './build.js';

const run = (graph: Graph, training = false) =>
  dropDropout.run(graph, shapesOf(graph), { training });

const outputReason = 'it is a model output; removing it would rename the output';

describe('drop-dropout', () => {
  it('removes dropouts that are not outputs, including chains, and rewires their readers', () => {
    const before: Graph = {
      name: 'd',
      nodes: [
        node('x', 'input', [], { shape: ['N', 8] }),
        node('fc1', 'dense', ['x'], { units: 4 }),
        node('d1', 'dropout', ['fc1']),
        node('d2', 'dropout', ['d1'], { p: 0.2 }),
        node('fc2', 'dense', ['d2'], { units: 2 }),
        node('d3', 'dropout', ['fc1']),
        node('sum', 'add', ['fc1', 'd3']),
      ],
      outputs: ['fc2', 'sum'],
    };
    const { graph, report } = run(before);
    const expected: Graph = {
      name: 'd',
      nodes: [
        node('x', 'input', [], { shape: ['N', 8] }),
        node('fc1', 'dense', ['x'], { units: 4 }),
        node('fc2', 'dense', ['fc1'], { units: 2 }),
        node('sum', 'add', ['fc1', 'fc1']),
      ],
      outputs: ['fc2', 'sum'],
    };
    expect(structure(graph)).toEqual(structure(expected));
    expect(report.changed.map((c) => c.node)).toEqual(['d1', 'd2', 'd3']);
    expect(report.skipped).toEqual([]);
    expect(report.notes).toEqual([]);
  });

  it('keeps a dropout output whose input is an output too (no duplicate outputs)', () => {
    // input x: f32[N, 4]; a = dense 4; dropout 0.99; b = dropout(a) 0.0; output a, b
    const before: Graph = {
      name: 'twice',
      nodes: [
        node('x', 'input', [], { shape: ['N', 4] }),
        node('a', 'dense', ['x'], { units: 4 }),
        node('dropout', 'dropout', ['a'], { p: 0.99 }),
        node('b', 'dropout', ['a'], { p: 0 }),
      ],
      outputs: ['a', 'b'],
    };
    const { graph, report } = run(before);
    const expected: Graph = {
      name: 'twice',
      nodes: [
        node('x', 'input', [], { shape: ['N', 4] }),
        node('a', 'dense', ['x'], { units: 4 }),
        node('b', 'dropout', ['a'], { p: 0 }),
      ],
      outputs: ['a', 'b'],
    };
    expect(structure(graph)).toEqual(structure(expected));
    expect(checkGraph(graph).diagnostics).toEqual([]);
    expect(report.changed.map((c) => c.node)).toEqual(['dropout']);
    expect(report.skipped).toEqual([
      { node: 'b', why: `${outputReason} (\`a\` is an output too)` },
    ]);
  });

  it('keeps output dropouts whose input cannot take the name, saying why', () => {
    const before: Graph = {
      name: 'k',
      nodes: [
        node('x', 'input', [], { shape: ['N', 3] }),
        node('dx', 'dropout', ['x']),
        node('fc', 'dense', ['x'], { units: 3 }),
        node('dfc', 'dropout', ['fc']),
        node('r', 'relu', ['x']),
        node('dr', 'dropout', ['r']),
        node('sum', 'add', ['r', 'dr']),
      ],
      outputs: ['dx', 'dfc', 'sum', 'dr'],
    };
    const { graph, report } = run(before);
    expect(structure(graph)).toEqual(structure(before));
    expect(report.changed).toEqual([]);
    expect(report.skipped).toEqual([
      { node: 'dx', why: `${outputReason} (\`x\` is a model input)` },
      { node: 'dfc', why: `${outputReason} (\`fc\` has weights, which would be renamed)` },
      { node: 'dr', why: `${outputReason} (\`r\` has other readers)` },
    ]);
  });

  it('removes an output dropout when its input can take the name, keeping the output name', () => {
    // A dead dropout reading `r` goes first, so `r` is then read by `out` alone.
    const before: Graph = {
      name: 'o',
      nodes: [
        node('x', 'input', [], { shape: ['N', 3] }),
        node('fc', 'dense', ['x'], { units: 3 }),
        node('r', 'relu', ['fc']),
        node('dead', 'dropout', ['r']),
        node('out', 'dropout', ['r']),
        node('out2', 'dropout', ['out']),
      ],
      outputs: ['out', 'out2'],
    };
    const { graph, report } = run(before);
    const expected: Graph = {
      name: 'o',
      nodes: [
        node('x', 'input', [], { shape: ['N', 3] }),
        node('fc', 'dense', ['x'], { units: 3 }),
        node('out', 'relu', ['fc']),
        node('out2', 'dropout', ['out']),
      ],
      outputs: ['out', 'out2'],
    };
    expect(structure(graph)).toEqual(structure(expected));
    expect(checkGraph(graph).diagnostics).toEqual([]);
    expect(report.changed).toEqual([
      { node: 'dead', what: 'removed; readers now read `r`' },
      { node: 'out', what: 'removed; `r` takes its name, so the output keeps it' },
    ]);
    expect(report.skipped).toEqual([
      { node: 'out2', why: `${outputReason} (\`out\` is an output too)` },
    ]);
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
