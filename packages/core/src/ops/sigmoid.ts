/** 1 / (1 + e^-x). */
import { unaryOp } from './common.js';

export const sigmoid = unaryOp('sigmoid', 'logistic sigmoid, 1 / (1 + e^-x)');
