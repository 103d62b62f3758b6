/** IR to text: the printed form, and exact round trips of graphs built in code. */
import type { Graph, Node } from '@kiln/core';
import { getOp, resolveAttrs } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { compile, printGraph } from '../src/index.js';
import { structure } from './helpers.js';

function node(
  name: string,
  op: string,
  inputs: string[],
  raw: Record<string, unknown> = {},
  frozen = false,
): Node {
  const map = new Map(Object.entries(raw).map(([k, v]) => [k, { value: v as never }]));
  const { attrs, diagnostics } = resolveAttrs(getOp(op)!, map, { node: name });
  expect(diagnostics).toEqual([]);
  return { name, op, inputs, attrs, ...(frozen ? { frozen: true } : {}) };
}

function roundTrip(g: Graph): string {
  const text = printGraph(g);
  const again = compile(text, 'printed.kiln');
  expect(again.diagnostics).toEqual([]);
  expect(structure(again.graph!)).toEqual(structure(g));
  return text;
}

describe('printGraph', () => {
  it('folds sole-consumer activations into flags and leaves defaults out', () => {
    const g: Graph = {
      name: 'tiny',
      nodes: [
        node('x', 'input', [], { shape: ['N', 3, 8, 8] }),
        node('c', 'conv', ['x'], { channels: 4, kernel: 3, pad: [1, 2], stride: 2 }),
        node('c_relu', 'relu', ['c']),
        node('p', 'maxpool', ['c_relu'], { kernel: 2, stride: 1 }),
        node('f', 'flatten', ['p']),
        node('d', 'dense', ['f'], { units: 5, bias: false }, true),
        node('d_leaky_relu', 'leaky_relu', ['d'], { alpha: -0.5 }, true),
        node('s', 'softmax', ['d_leaky_relu'], { axis: -1 }),
      ],
      outputs: ['s'],
      training: {
        lr: { value: 0.1, options: {} },
        optimizer: { value: 'sgd', options: { momentum: 0.9 } },
      },
    };
    expect(roundTrip(g)).toMatchInlineSnapshot(`
      "model tiny {
        input x: f32[N, 3, 8, 8]
        c = conv 4 kernel=3 stride=2 pad=[1, 2] relu
        p = maxpool 2 stride=1
        f = flatten
        d = freeze dense 5 bias=false
        d_leaky_relu = freeze leaky_relu alpha=-0.5
        s = softmax axis=-1
        train {
          lr 0.1
          optimizer sgd momentum=0.9
        }
      }
      "
    `);
  });

  it('writes inputs, aliases and outputs explicitly where the order needs them', () => {
    const g: Graph = {
      name: 'branchy',
      nodes: [
        node('a', 'input', [], { shape: ['N', 4] }),
        node('b', 'input', [], { shape: ['N', 4] }),
        node('h', 'dense', ['a'], { units: 4 }),
        node('h_relu', 'relu', ['h']),
        node('sum', 'add', ['h_relu', 'b']),
        node('sum_relu', 'relu', ['sum']),
        node('cat', 'concat', ['sum', 'sum_relu', 'a']),
      ],
      outputs: ['cat', 'h_relu'],
    };
    expect(roundTrip(g)).toMatchInlineSnapshot(`
      "model branchy {
        input a: f32[N, 4]
        input b: f32[N, 4]
        h = dense(a) 4 relu
        sum = add(h, b)
        sum_relu = relu
        cat = concat(sum, sum_relu, a)
        output cat, h
      }
      "
    `);
  });

  it('quotes keywords and unusual names', () => {
    const g: Graph = {
      name: 'my model',
      nodes: [
        node('input', 'input', [], { shape: ['N', 2] }),
        node('output', 'dense', ['input'], { units: 2 }),
        node('odd `name`', 'relu', ['output']),
      ],
      outputs: ['odd `name`'],
    };
    expect(roundTrip(g)).toMatchInlineSnapshot(`
      "model \`my model\` {
        input \`input\`: f32[N, 2]
        \`output\` = dense 2
        \`odd \\\`name\\\`\` = relu
      }
      "
    `);
  });
});
