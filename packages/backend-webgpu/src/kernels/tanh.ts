import { activationKernel } from './unary.js';

export const tanh = activationKernel('tanh');
