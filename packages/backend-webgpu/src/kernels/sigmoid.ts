import { activationKernel } from './unary.js';

export const sigmoid = activationKernel('sigmoid');
