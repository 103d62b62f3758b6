import { identity } from './unary.js';

/** Inference only: dropout is the identity. */
export const dropout = identity('dropout');
