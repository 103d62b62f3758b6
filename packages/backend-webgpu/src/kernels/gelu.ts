import { activationKernel } from './unary.js';

export const gelu = activationKernel('gelu');
