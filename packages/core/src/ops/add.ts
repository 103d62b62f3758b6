/** Elementwise sum of two or more tensors of one shape (no broadcasting): residual joins. */
import { formatShape, shapesEqual } from '../ir/dims.js';
import { noMacs, noParams } from './common.js';
import type { OpDef } from './schema.js';
import { ShapeError } from './schema.js';

export const add: OpDef = {
  name: 'add',
  summary: 'elementwise sum (residual join)',
  category: 'join',
  arity: { min: 2, max: 64 },
  positional: [],
  attrs: {},
  inferShape(inputs) {
    const first = inputs[0]!;
    for (let i = 1; i < inputs.length; i++) {
      if (!shapesEqual(first, inputs[i]!)) {
        throw new ShapeError(
          `add needs inputs of one shape; input 1 is ${formatShape(first)}, input ${i + 1} is ${formatShape(inputs[i]!)}`,
          'a residual branch that changes channels or stride needs a projection (1x1 conv) shortcut',
        );
      }
    }
    return first;
  },
  params: noParams,
  macs: noMacs,
  // d(a + b)/da = 1: every input receives the upstream gradient unchanged.
  grad: (node, dy) => node.inputs.map(() => dy),
};
