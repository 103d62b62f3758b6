/** 1 / (1 + e^-x). */
import { unaryOp } from './common.js';
import type { OpDef } from './schema.js';

export const sigmoid: OpDef = {
  ...unaryOp('sigmoid', 'logistic sigmoid, 1 / (1 + e^-x)'),
  // σ' = σ(1 - σ): computed from the forward output y, which the training graph keeps.
  grad: (node, dy, e) => [e.emit('sigmoid_grad', [dy, node.name], {}, 'dx')],
};
