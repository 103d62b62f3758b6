import { identity } from './unary.js';

/** NCHW is row-major, so flattening keeps the element order. */
export const flatten = identity('flatten');
