/**
 * Loss ops, each a mean over the batch returning shape [1], and their gradients (shaped like
 * the prediction, already divided by the batch: they start the backward pass, where the upstream
 * dL/dL is 1). Inputs are (prediction, target) with equal shapes.
 *
 * - `softmax_cross_entropy`: logits z [N, K] and target probabilities t (one-hot labels):
 *   L = mean_n (logsumexp(z_n) - Σ_k t_nk z_nk); dL/dz = (softmax(z) - t) / N. Fusing softmax
 *   with the log keeps it finite for any logits (|z| of 1e4 included).
 * - `sigmoid_bce`: one logit per sample and a 0/1 target: L = mean(softplus(z) - t·z),
 *   dL/dz = (σ(z) - t) / N; softplus is computed as max(z, 0) + log1p(e^-|z|).
 * - `mse_loss`: L = mean over all elements of (y - t)²; dL/dy = 2 (y - t) / count.
 */
import { formatShape, shapesEqual } from '../../ir/dims.js';
import type { Shape } from '../../ir/types.js';
import type { OpDef } from '../schema.js';
import { ShapeError } from '../schema.js';
import { backwardOp, like } from './define.js';

function sameShapes(op: string, [y, t]: readonly Shape[]): void {
  if (!shapesEqual(y!, t!)) {
    throw new ShapeError(
      `${op}: prediction ${formatShape(y!)} and target ${formatShape(t!)} differ in shape`,
    );
  }
}

function lossOp(name: string, summary: string): OpDef {
  return backwardOp(name, summary, 2, {}, (inputs) => {
    sameShapes(name, inputs);
    return [1];
  });
}

function lossGradOp(name: string, summary: string): OpDef {
  return backwardOp(name, summary, 2, {}, (inputs) => {
    sameShapes(name, inputs);
    return like(0)(inputs);
  });
}

export const softmaxCrossEntropy = lossOp(
  'softmax_cross_entropy',
  'mean cross-entropy of softmax(logits) against target probabilities',
);
export const softmaxCrossEntropyGrad = lossGradOp(
  'softmax_cross_entropy_grad',
  '(softmax(z) - t) / N',
);
export const sigmoidBce = lossOp('sigmoid_bce', 'mean binary cross-entropy of sigmoid(logit)');
export const sigmoidBceGrad = lossGradOp('sigmoid_bce_grad', '(sigmoid(z) - t) / N');
export const mseLoss = lossOp('mse_loss', 'mean squared error');
export const mseLossGrad = lossGradOp('mse_loss_grad', '2 (y - t) / count');
