/** x for x >= 0, alpha * x below (PyTorch's default slope 0.01). */
import { unaryOp } from './common.js';
import type { OpDef } from './schema.js';

export const leakyRelu: OpDef = {
  ...unaryOp(
    'leaky_relu',
    'leaky ReLU, alpha * x below zero',
    { alpha: { kind: 'float', default: 0.01, doc: 'slope for negative inputs' } },
    ['alpha'],
  ),
  // 1 for x >= 0, alpha below; the slope is the forward's `alpha`.
  grad: (node, dy, e) => [e.emit('leaky_relu_grad', [dy, node.inputs[0]!], node.attrs, 'dx')],
};
