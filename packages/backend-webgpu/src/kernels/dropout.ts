import { alias } from './unary.js';

/** Inference only: dropout is the identity (training runs `dropout_mask`). */
export const dropout = alias('dropout');
