import { activationKernel } from './unary.js';

export const relu = activationKernel('relu');
