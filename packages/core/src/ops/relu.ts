/** max(x, 0). */
import { unaryOp } from './common.js';

export const relu = unaryOp('relu', 'rectified linear unit, max(x, 0)');
