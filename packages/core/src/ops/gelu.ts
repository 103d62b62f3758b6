/**
 * Gaussian error linear unit. `approximate=none` is x * Phi(x) with the exact normal CDF;
 * `approximate=tanh` is the tanh formula (PyTorch's two modes).
 */
import { unaryOp } from './common.js';

export const gelu = unaryOp('gelu', 'Gaussian error linear unit', {
  approximate: {
    kind: 'enum',
    values: ['none', 'tanh'],
    default: 'none',
    doc: 'exact or tanh form',
  },
});
