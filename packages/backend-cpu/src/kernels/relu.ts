import { elementwise } from './elementwise.js';

// Math.max propagates NaN (as PyTorch does) where `x > 0 ? x : 0` would turn it into 0.
export const relu = elementwise('relu', () => (x) => Math.max(x, 0));
