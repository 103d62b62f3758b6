/**
 * Backward ops of dense and conv. With y = x·Wᵀ + b (dense) or y = W ⋆ x + b (conv):
 * dL/dx = dy·W (conv: the transposed convolution of dy with W), dL/dW = dyᵀ·x (conv: the
 * correlation of x with dy), dL/db = the sum of dy over every axis but the channel axis.
 * The input-gradient ops read W through `of`; inputs are (dy, x), x giving dL/dx its shape.
 */
import { conv } from '../conv.js';
import type { OpDef } from '../schema.js';
import { int, ints } from '../schema.js';
import { backwardOp, like, ofAttr } from './define.js';

export const denseGradInput: OpDef = backwardOp(
  'dense_grad_input',
  'dL/dx of dense: dy·W',
  2,
  { of: ofAttr },
  like(1),
);

export const denseGradWeight: OpDef = backwardOp(
  'dense_grad_weight',
  'dL/dW of dense: dyᵀ·x',
  2,
  {},
  ([dy, x]) => [dy![1]!, x![1]!],
);

export const biasGrad: OpDef = backwardOp(
  'bias_grad',
  'dL/db: dy summed over all axes but 1',
  1,
  {},
  ([dy]) => [dy![1]!],
);

export const convGradInput: OpDef = backwardOp(
  'conv_grad_input',
  'dL/dx of conv: transposed convolution of dy with W',
  2,
  { ...conv.attrs, of: ofAttr },
  like(1),
);

export const convGradWeight: OpDef = backwardOp(
  'conv_grad_weight',
  'dL/dW of conv: correlation of x with dy',
  2,
  conv.attrs,
  ([dy, x], attrs) => {
    const [kh, kw] = ints(attrs, 'kernel') as [number, number];
    return [dy![1]!, (x![1] as number) / int(attrs, 'groups'), kh, kw];
  },
);
