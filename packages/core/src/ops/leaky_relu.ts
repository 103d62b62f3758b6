/** x for x >= 0, alpha * x below (PyTorch's default slope 0.01). */
import { unaryOp } from './common.js';

export const leakyRelu = unaryOp(
  'leaky_relu',
  'leaky ReLU, alpha * x below zero',
  { alpha: { kind: 'float', default: 0.01, doc: 'slope for negative inputs' } },
  ['alpha'],
);
