import { elementwise } from './elementwise.js';

// Split by sign so exp never overflows: for x < 0, e^x / (1 + e^x) is the same value.
export const sigmoid = elementwise('sigmoid', () => (x) => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
});
