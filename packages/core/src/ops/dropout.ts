/**
 * Inverted dropout: in training, zero each element with probability p and scale the rest by
 * 1 / (1 - p); in inference, the identity.
 */
import { unaryOp } from './common.js';

export const dropout = unaryOp(
  'dropout',
  'inverted dropout (identity at inference)',
  { p: { kind: 'float', min: 0, max: 0.999999, default: 0.5, doc: 'probability of dropping' } },
  ['p'],
  'regularization',
);
