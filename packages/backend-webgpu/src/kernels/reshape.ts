import { alias } from './unary.js';

/** A row-major reshape keeps the element order; core's inferShape already checked the sizes. */
export const reshape = alias('reshape');
