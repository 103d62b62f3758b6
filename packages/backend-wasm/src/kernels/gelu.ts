import { str } from '@kiln/core';
import { unary } from './unary.js';

/** Exact GELU (erf) or PyTorch's tanh approximation, per the `approximate` attribute. */
export const gelu = unary('gelu', (node) => {
  const approximate = str(node.attrs, 'approximate') === 'tanh' ? 1 : 0;
  return (k, x, out, len) => k.gelu(x, out, len, approximate);
});
