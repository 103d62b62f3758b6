import { unary } from './unary.js';

export const relu = unary('relu', () => (k, x, out, len) => k.relu(x, out, len));
