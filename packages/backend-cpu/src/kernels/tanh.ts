import { elementwise } from './elementwise.js';

export const tanh = elementwise('tanh', () => Math.tanh);
