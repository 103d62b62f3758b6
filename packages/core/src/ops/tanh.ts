/** Hyperbolic tangent. */
import { unaryOp } from './common.js';
import type { OpDef } from './schema.js';

export const tanh: OpDef = {
  ...unaryOp('tanh', 'hyperbolic tangent'),
  // tanh' = 1 - tanh²: computed from the forward output y.
  grad: (node, dy, e) => [e.emit('tanh_grad', [dy, node.name], {}, 'dx')],
};
