import { alias } from './unary.js';

/** NCHW is row-major, so flattening [N, C, H, W] to [N, C*H*W] keeps the element order. */
export const flatten = alias('flatten');
