import { unary } from './unary.js';

export const tanh = unary('tanh', () => (k, x, out, len) => k.tanh(x, out, len));
