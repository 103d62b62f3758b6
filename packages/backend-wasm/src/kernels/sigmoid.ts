import { unary } from './unary.js';

export const sigmoid = unary('sigmoid', () => (k, x, out, len) => k.sigmoid(x, out, len));
