/** Flatten everything after the batch: [N, C, H, W] -> [N, C*H*W], in C, then H, then W order. */
import { product } from '../ir/dims.js';
import { noMacs, noParams } from './common.js';
import type { OpDef } from './schema.js';
import { ShapeError } from './schema.js';

export const flatten: OpDef = {
  name: 'flatten',
  summary: 'flatten all dimensions after the batch',
  category: 'shape',
  arity: { min: 1, max: 1 },
  positional: [],
  attrs: {},
  inferShape([x]) {
    if (x!.length < 2) throw new ShapeError('flatten needs at least a 2-D input');
    return [x![0]!, product(x!.slice(1))];
  },
  params: noParams,
  macs: noMacs,
  // A relabelling of elements: the gradient is dy read in the input's shape.
  grad: (node, dy, e) => [e.emit('reshape_as', [dy, node.inputs[0]!], {}, 'dx')],
};
