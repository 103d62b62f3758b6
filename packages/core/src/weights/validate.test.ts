import { describe, expect, it } from 'vitest';
import type { Tensor } from '../backend/types.js';
import { checkGraph } from '../ir/check.js';
import type { Graph, Node } from '../ir/types.js';
import { resolveAttrs } from '../ops/attrs.js';
import { getOp } from '../ops/registry.js';
import { initWeights } from './init.js';
import { validateWeights } from './validate.js';

const span = (line: number) => ({ file: 'm.kiln', start: 0, end: 1, line, column: 3 });

function node(
  name: string,
  op: string,
  inputs: string[],
  raw: Record<string, unknown>,
  line: number,
): Node {
  const map = new Map(Object.entries(raw).map(([k, v]) => [k, { value: v as never }]));
  const { attrs } = resolveAttrs(getOp(op)!, map, { node: name });
  return { name, op, inputs, attrs, span: span(line) };
}

const graph: Graph = {
  name: 'm',
  nodes: [
    node('x', 'input', [], { shape: ['N', 2, 5, 5] }, 1),
    node('conv1', 'conv', ['x'], { channels: 3, kernel: 3 }, 2),
    node('f', 'flatten', ['conv1'], {}, 3),
    node('fc', 'dense', ['f'], { units: 4 }, 4),
  ],
  outputs: ['fc'],
};

describe('validateWeights', () => {
  const { shapes } = checkGraph(graph);
  const good = initWeights(graph, shapes, 0);

  it('accepts the weights initWeights makes', () => {
    expect(validateWeights(graph, shapes, good)).toEqual([]);
  });

  it('locates missing, extra, mis-shaped, wrong-size and wrong-dtype tensors', () => {
    const w = new Map<string, Tensor>(good);
    w.delete('conv1.bias');
    w.set('conv1.bais', { dtype: 'f32', shape: [3], data: new Float32Array(3) });
    w.set('fc.weight', { dtype: 'f32', shape: [27, 4], data: new Float32Array(108) });
    w.set('fc.bias', { dtype: 'f32', shape: [4], data: new Float32Array(3) });
    w.set('conv1.weight', {
      dtype: 'f16' as 'f32',
      shape: [3, 2, 3, 3],
      data: new Float32Array(54),
    });
    const found = validateWeights(graph, shapes, w).map((d) => [
      d.code,
      d.message,
      d.span?.line,
      d.hint,
    ]);
    expect(found).toEqual([
      ['weights/dtype', 'weight `conv1.weight` is f16, expected f32', 2, undefined],
      ['weights/missing', 'missing weight `conv1.bias` [3]', 2, 'did you mean `conv1.bais`?'],
      ['weights/shape', 'weight `fc.weight` has shape [27, 4], expected [4, 27]', 4, undefined],
      ['weights/size', 'weight `fc.bias` [4] should hold 4 values, it holds 3', 4, undefined],
      [
        'weights/extra',
        'weight `conv1.bais` is not used by model `m`',
        2,
        'did you mean `conv1.bias`?',
      ],
    ]);
  });
});
