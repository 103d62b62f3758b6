import { float } from '@kiln/core';
import { unary } from './unary.js';

export const leakyRelu = unary('leaky_relu', (node) => {
  const alpha = float(node.attrs, 'alpha');
  return (k, x, out, len) => k.leakyRelu(x, out, len, alpha);
});
