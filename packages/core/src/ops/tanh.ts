/** Hyperbolic tangent. */
import { unaryOp } from './common.js';

export const tanh = unaryOp('tanh', 'hyperbolic tangent');
