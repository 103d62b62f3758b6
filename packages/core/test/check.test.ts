import { describe, expect, it } from 'vitest';
import type { Node } from '../src/index.js';
import { checkGraph, renderDiagnostic, spanAt } from '../src/index.js';
import { graph, node } from './build.js';

const codes = (nodes: Node[], outputs?: string[]) =>
  checkGraph(graph(nodes, outputs)).diagnostics.map((d) => `${d.code}: ${d.message}`);

describe('checkGraph', () => {
  const x = node('x', 'input', [], { shape: ['N', 4] });

  it('accepts a valid graph and infers shapes', () => {
    const { shapes, diagnostics } = checkGraph(
      graph([x, node('fc', 'dense', ['x'], { units: 3 })]),
    );
    expect(diagnostics).toEqual([]);
    expect(shapes.get('fc')).toEqual(['N', 3]);
  });

  it('reports dangling names with a suggestion, and continues', () => {
    const { diagnostics } = checkGraph(
      graph([
        x,
        node('fc', 'dense', ['xx'], { units: 3 }),
        node('fc2', 'dense', ['y'], { units: 3 }),
      ]),
    );
    expect(diagnostics.map((d) => [d.message, d.hint])).toEqual([
      ['`xx` is not defined', 'did you mean `x`?'],
      ['`y` is not defined', undefined],
    ]);
  });

  it('reports duplicates, unknown ops and wrong arity together', () => {
    expect(
      codes(
        [
          x,
          node('a', 'relu', ['x']),
          node('a', 'relu', ['x']),
          { name: 'b', op: 'maxpol', inputs: ['x'], attrs: {} },
          node('c', 'add', ['x']),
        ],
        ['a'],
      ),
    ).toEqual([
      'ir/duplicate-name: `a` is defined twice',
      'ir/unknown-op: unknown op `maxpol`',
      'ir/arity: add `c` takes 2 to 64 input(s), got 1',
    ]);
  });

  it('reports a cycle once and does not cascade', () => {
    expect(codes([x, node('a', 'add', ['x', 'b']), node('b', 'relu', ['a'])], ['b'])).toEqual([
      'ir/cycle: cycle: `a` -> `b` -> `a`',
    ]);
  });

  it('reports shape errors located at the node, and skips dependants', () => {
    const span = spanAt('m.kiln', 'input x\ndense 3\n', 8, 13);
    const bad = { ...node('fc', 'dense', ['x'], { units: 3 }), span };
    const img = node('x', 'input', [], { shape: ['N', 3, 8, 8] });
    const { diagnostics } = checkGraph(graph([img, bad, node('r', 'relu', ['fc'])]));
    expect(diagnostics).toHaveLength(1);
    expect(renderDiagnostic(diagnostics[0]!, { 'm.kiln': 'input x\ndense 3\n' }))
      .toMatchInlineSnapshot(`
      "m.kiln:2:1: error: dense needs a 2-D input [N, K]; got [N, 3, 8, 8]
       2 | dense 3
         | ^^^^^
        hint: add \`flatten\` before it"
    `);
  });

  it('catches dimensions that overflow', () => {
    expect(codes([node('x', 'input', [], { shape: ['N', 2 ** 31, 2] })])).toEqual([
      'ir/overflow: `x` has a dimension of 2147483648, above the limit of 2147483647',
    ]);
    const big = node('x', 'input', [], { shape: [2 ** 30, 2 ** 30, 2 ** 30] });
    expect(codes([big])[0]).toMatch(/more elements than can be counted/);
  });

  it('reports missing outputs and inputs', () => {
    expect(codes([x], ['nope'])).toEqual(['ir/undefined-tensor: output `nope` is not defined']);
  });
});

describe('rendering long lines', () => {
  it('cuts a long source line to a window around the caret', () => {
    const source = 'x'.repeat(300) + ' bad ' + 'y'.repeat(300);
    const span = spanAt('m.kiln', source, 301, 304);
    const text = renderDiagnostic(
      { code: 't', severity: 'error', message: 'm', span, notes: [] },
      { 'm.kiln': source },
    );
    const [, line, caret] = text.split('\n');
    expect(line!.length).toBeLessThan(120);
    expect(line).toContain(' bad ');
    // The caret sits under `bad` in the cut line.
    expect(line!.slice(caret!.indexOf('^'), caret!.lastIndexOf('^') + 1)).toBe('bad');
  });
});
