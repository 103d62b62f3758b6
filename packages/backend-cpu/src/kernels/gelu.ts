/**
 * GELU in PyTorch's two forms. Exact: x * Phi(x) with Phi(x) = erfc(-x / sqrt 2) / 2, written
 * with erfc so the negative tail keeps its relative accuracy. Tanh:
 * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
 */
import { str } from '@kiln/core';
import { elementwise } from './elementwise.js';
import { erfc } from './erf.js';

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export const gelu = elementwise('gelu', (node) =>
  str(node.attrs, 'approximate') === 'tanh'
    ? (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)))
    : (x) => 0.5 * x * erfc(-x * SQRT_HALF),
);
