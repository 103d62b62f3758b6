import { float } from '@kiln/core';
import { elementwise } from './elementwise.js';

export const leakyRelu = elementwise('leaky_relu', (node) => {
  const alpha = float(node.attrs, 'alpha');
  return (x) => (x >= 0 ? x : alpha * x);
});
