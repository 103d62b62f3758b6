/**
 * Gaussian error linear unit. `approximate=none` is x * Phi(x) with the exact normal CDF;
 * `approximate=tanh` is the tanh formula (PyTorch's two modes).
 */
import { unaryOp } from './common.js';
import type { OpDef } from './schema.js';

export const gelu: OpDef = {
  ...unaryOp('gelu', 'Gaussian error linear unit', {
    approximate: {
      kind: 'enum',
      values: ['none', 'tanh'],
      default: 'none',
      doc: 'exact or tanh form',
    },
  }),
  // Exact: Φ(x) + x·φ(x); tanh form: the derivative of its own formula (ops/grad/activation.ts).
  grad: (node, dy, e) => [e.emit('gelu_grad', [dy, node.inputs[0]!], node.attrs, 'dx')],
};
