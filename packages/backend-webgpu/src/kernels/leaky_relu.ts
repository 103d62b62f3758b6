import { activationKernel } from './unary.js';

export const leakyRelu = activationKernel('leaky_relu');
