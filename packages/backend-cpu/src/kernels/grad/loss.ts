/**
 * Loss kernels (mean over the batch, output [1]) and their gradients, inputs (prediction,
 * target); sums are float64. The fused forms never exponentiate a large positive number:
 * - cross-entropy of softmax: Σ_k t_k (lse(z) − z_k), with lse(z) − z_k = (max − z_k) +
 *   log Σ exp(z − max), exact for logits of ±1e4; gradient p·Σt − t, divided by N;
 * - binary cross-entropy of sigmoid: softplus(z) − t·z = max(z, 0) − t·z + log1p(e^−|z|);
 *   gradient σ(z) − t, divided by the element count;
 * - mean squared error over all elements; gradient 2(y − t)/count.
 */
import type { Kernel } from '../types.js';

function rows(shape: readonly number[]): [number, number] {
  const n = shape[0]!;
  return [n, shape.slice(1).reduce((a, b) => a * b, 1)];
}

/** Per row: the maximum and log Σ exp(z − max). */
function logSumExp(z: Float32Array, base: number, k: number): [number, number] {
  let max = -Infinity;
  for (let j = 0; j < k; j++) max = Math.max(max, z[base + j]!);
  let sum = 0;
  for (let j = 0; j < k; j++) sum += Math.exp(z[base + j]! - max);
  return [max, Math.log(sum)];
}

export const softmaxCrossEntropy: Kernel = {
  op: 'softmax_cross_entropy',
  bind: () => ({
    run([z, t], [shape], out) {
      const [n, k] = rows(shape!);
      let total = 0;
      for (let b = 0; b < n; b++) {
        const [max, logSum] = logSumExp(z!, b * k, k);
        for (let j = 0; j < k; j++) {
          const tj = t![b * k + j]!;
          if (tj !== 0) total += tj * (max - z![b * k + j]! + logSum);
        }
      }
      out[0] = total / n;
    },
  }),
};

export const softmaxCrossEntropyGrad: Kernel = {
  op: 'softmax_cross_entropy_grad',
  bind: () => ({
    run([z, t], [shape], out) {
      const [n, k] = rows(shape!);
      for (let b = 0; b < n; b++) {
        const base = b * k;
        const [max, logSum] = logSumExp(z!, base, k);
        let mass = 0;
        for (let j = 0; j < k; j++) mass += t![base + j]!;
        for (let j = 0; j < k; j++) {
          const p = Math.exp(z![base + j]! - max - logSum);
          out[base + j] = (p * mass - t![base + j]!) / n;
        }
      }
    },
  }),
};

export const sigmoidBce: Kernel = {
  op: 'sigmoid_bce',
  bind: () => ({
    run([z, t], _shapes, out) {
      let total = 0;
      for (let i = 0; i < z!.length; i++) {
        const v = z![i]!;
        total += Math.max(v, 0) - t![i]! * v + Math.log1p(Math.exp(-Math.abs(v)));
      }
      out[0] = total / z!.length;
    },
  }),
};

export const sigmoidBceGrad: Kernel = {
  op: 'sigmoid_bce_grad',
  bind: () => ({
    run([z, t], _shapes, out) {
      const count = z!.length;
      for (let i = 0; i < count; i++) {
        const v = z![i]!;
        // σ(v) without overflow: e^v / (1 + e^v) for negative v.
        const e = Math.exp(-Math.abs(v));
        const sigma = v >= 0 ? 1 / (1 + e) : e / (1 + e);
        out[i] = (sigma - t![i]!) / count;
      }
    },
  }),
};

export const mseLoss: Kernel = {
  op: 'mse_loss',
  bind: () => ({
    run([y, t], _shapes, out) {
      let total = 0;
      for (let i = 0; i < y!.length; i++) total += (y![i]! - t![i]!) ** 2;
      out[0] = total / y!.length;
    },
  }),
};

export const mseLossGrad: Kernel = {
  op: 'mse_loss_grad',
  bind: () => ({
    run([y, t], _shapes, out) {
      const count = y!.length;
      for (let i = 0; i < count; i++) out[i] = (2 * (y![i]! - t![i]!)) / count;
    },
  }),
};
