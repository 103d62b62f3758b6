/** Softmax along one axis (default 1: the class or channel axis in NCHW). */
import { formatShape } from '../ir/dims.js';
import { noMacs, noParams } from './common.js';
import type { OpDef } from './schema.js';
import { ShapeError, int } from './schema.js';

export const softmax: OpDef = {
  name: 'softmax',
  summary: 'softmax along an axis',
  category: 'activation',
  arity: { min: 1, max: 1 },
  positional: [],
  attrs: {
    axis: { kind: 'int', default: 1, doc: 'axis to normalise; negative counts from the end' },
  },
  inferShape([x], attrs) {
    const axis = int(attrs, 'axis');
    if (axis >= x!.length || axis < -x!.length || axis === 0 || axis === -x!.length) {
      throw new ShapeError(
        `softmax axis ${axis} is not a non-batch axis of ${formatShape(x!)}`,
        'axis 0 is the batch; use 1 for classes or channels',
      );
    }
    return x!;
  },
  params: noParams,
  macs: noMacs,
  // dx = y ⊙ (dy - Σ dy ⊙ y) along the axis: the Jacobian diag(y) - y·yᵀ applied to dy.
  grad: (node, dy, e) => [e.emit('softmax_grad', [dy, node.name], node.attrs, 'dx')],
};
