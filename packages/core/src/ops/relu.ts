/** max(x, 0). */
import { unaryOp } from './common.js';
import type { OpDef } from './schema.js';

export const relu: OpDef = {
  ...unaryOp('relu', 'rectified linear unit, max(x, 0)'),
  // d/dx max(x, 0) = 1 for x > 0, else 0 (PyTorch's choice at 0).
  grad: (node, dy, e) => [e.emit('relu_grad', [dy, node.inputs[0]!], {}, 'dx')],
};
