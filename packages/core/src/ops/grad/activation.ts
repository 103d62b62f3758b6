/**
 * Backward ops of the activations, inputs (dy, t): t is the forward input x where the
 * derivative is a function of x (relu, leaky_relu, gelu), the forward output y where it is
 * cheaper in y (sigmoid: y(1-y); tanh: 1-y²; softmax: y ⊙ (dy - Σ dy⊙y)).
 */
import { gelu } from '../gelu.js';
import { leakyRelu } from '../leaky_relu.js';
import type { OpDef } from '../schema.js';
import { softmax } from '../softmax.js';
import { backwardOp, like } from './define.js';

export const reluGrad: OpDef = backwardOp('relu_grad', 'dy where x > 0', 2, {}, like(0));

export const leakyReluGrad: OpDef = backwardOp(
  'leaky_relu_grad',
  'dy, times alpha where x < 0',
  2,
  leakyRelu.attrs,
  like(0),
);

export const geluGrad: OpDef = backwardOp('gelu_grad', "dy · gelu'(x)", 2, gelu.attrs, like(0));

export const sigmoidGrad: OpDef = backwardOp('sigmoid_grad', 'dy · y(1 - y)', 2, {}, like(0));

export const tanhGrad: OpDef = backwardOp('tanh_grad', 'dy · (1 - y²)', 2, {}, like(0));

export const softmaxGrad: OpDef = backwardOp(
  'softmax_grad',
  'y ⊙ (dy - Σ dy ⊙ y) along the axis',
  2,
  softmax.attrs,
  like(0),
);
