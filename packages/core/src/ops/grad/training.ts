/**
 * Training-mode forms of dropout and batchnorm, and their backward ops.
 *
 * Dropout: `dropout_mask` (x, mask) computes x ⊙ mask / (1 - p), where the training loop feeds
 * a seeded 0/1 mask per step. It is linear in x with the same mask, so it is its own gradient.
 *
 * Batchnorm: `batchnorm_train` normalises with the batch's mean and biased variance (as
 * PyTorch does in training) and owns the same tensors as `batchnorm`. `batchnorm_stats` returns
 * the updated running statistics [2, C] (mean; unbiased variance), blended with `momentum`:
 * r ← (1 - momentum)·r + momentum·batch. With x̂ = (x - μ)/σ over the m = N·H·W values of a
 * channel: dL/dγ = Σ dy·x̂, dL/dβ = Σ dy, dL/dx = γ/σ · (dy - mean(dy) - x̂·mean(dy·x̂)).
 */
import { batchnorm } from '../batchnorm.js';
import type { OpDef } from '../schema.js';
import { backwardOp, like, ofAttr } from './define.js';

export const dropoutMask: OpDef = {
  ...backwardOp(
    'dropout_mask',
    'x ⊙ mask / (1 - p): dropout in training',
    2,
    { p: { kind: 'float', min: 0, max: 0.999999, doc: 'probability of dropping' } },
    like(0),
  ),
  // Linear in x with a fixed mask: dL/dx = dy ⊙ mask / (1 - p); the mask gets no gradient.
  grad: (node, dy, e) => [
    e.emit('dropout_mask', [dy, node.inputs[1]!], node.attrs, 'dx'),
    undefined,
  ],
};

export const batchnormTrain: OpDef = {
  ...batchnorm,
  name: 'batchnorm_train',
  category: 'training',
  summary: 'batch normalisation with batch statistics (training)',
  grad(node, dy, e) {
    const x = node.inputs[0]!;
    if (e.wantsParam(node, 'weight')) {
      e.paramGrad(node, 'weight', e.emit('batchnorm_grad_weight', [dy, x], node.attrs, 'dweight'));
    }
    if (e.wantsParam(node, 'bias')) {
      e.paramGrad(node, 'bias', e.emit('bias_grad', [dy], {}, 'dbias'));
    }
    if (!e.wantsInput(node, 0)) return [undefined];
    const attrs = { ...node.attrs, of: node.name };
    return [e.emit('batchnorm_grad_input', [dy, x], attrs, 'dx')];
  },
};

export const batchnormStats: OpDef = backwardOp(
  'batchnorm_stats',
  'running statistics after one training batch',
  1,
  { ...batchnorm.attrs, of: ofAttr },
  ([x]) => [2, x![1]!],
);

export const batchnormGradInput: OpDef = backwardOp(
  'batchnorm_grad_input',
  'dL/dx of batchnorm with batch statistics',
  2,
  { ...batchnorm.attrs, of: ofAttr },
  like(1),
);

export const batchnormGradWeight: OpDef = backwardOp(
  'batchnorm_grad_weight',
  'dL/dγ of batchnorm: Σ dy·x̂',
  2,
  batchnorm.attrs,
  ([dy]) => [dy![1]!],
);
