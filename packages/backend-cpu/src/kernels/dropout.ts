import { identity } from './elementwise.js';

/** Inference only: dropout is the identity (training lives in the train package). */
export const dropout = identity('dropout');
