/**
 * Training-mode kernels of dropout and batchnorm, and batchnorm's backward kernels. Batch
 * statistics are recomputed from x where a kernel needs them (in float64) rather than passed
 * between nodes: the graph stays one tensor per node, and the cost is one pass over x.
 */
import { float } from '@kiln/core';
import type { Kernel } from '../types.js';

/** x ⊙ mask / (1 − p); the mask is the loop's seeded 0/1 draw. */
export const dropoutMask: Kernel = {
  op: 'dropout_mask',
  bind(node) {
    const scale = 1 / (1 - float(node.attrs, 'p'));
    return {
      run([x, mask], _shapes, out) {
        for (let i = 0; i < out.length; i++) out[i] = x![i]! * mask![i]! * scale;
      },
    };
  },
};

interface Stats {
  readonly c: number;
  /** N·H·W: values per channel. */
  readonly m: number;
  readonly inner: number;
  readonly mean: Float64Array;
  /** Biased (divided by m), as normalisation in training uses. */
  readonly variance: Float64Array;
}

function batchStats(x: Float32Array, shape: readonly number[]): Stats {
  const [n, c] = shape as [number, number];
  const inner = shape.length === 4 ? shape[2]! * shape[3]! : 1;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let b = 0; b < n; b++) {
      const base = (b * c + ch) * inner;
      for (let i = base; i < base + inner; i++) s += x[i]!;
    }
    const mu = s / (n * inner);
    let q = 0;
    for (let b = 0; b < n; b++) {
      const base = (b * c + ch) * inner;
      for (let i = base; i < base + inner; i++) q += (x[i]! - mu) * (x[i]! - mu);
    }
    mean[ch] = mu;
    variance[ch] = q / (n * inner);
  }
  return { c, m: n * inner, inner, mean, variance };
}

/** Calls f(index, channel) for every element of an [N, C] or [N, C, H, W] tensor. */
function eachElement(n: number, s: Stats, f: (i: number, ch: number) => void): void {
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < s.c; ch++) {
      const base = (b * s.c + ch) * s.inner;
      for (let i = base; i < base + s.inner; i++) f(i, ch);
    }
  }
}

export const batchnormTrain: Kernel = {
  op: 'batchnorm_train',
  bind(node, param) {
    const eps = float(node.attrs, 'eps');
    const gamma = param('weight');
    const beta = param('bias');
    return {
      run([x], [shape], out) {
        const s = batchStats(x!, shape!);
        const scale = s.variance.map((v, ch) => gamma[ch]! / Math.sqrt(v + eps));
        eachElement(shape![0]!, s, (i, ch) => {
          out[i] = (x![i]! - s.mean[ch]!) * scale[ch]! + beta[ch]!;
        });
      },
    };
  },
};

/** [2, C]: r ← (1 − momentum)·r + momentum·batch, for the mean and the unbiased variance. */
export const batchnormStats: Kernel = {
  op: 'batchnorm_stats',
  bind(node, param) {
    const momentum = float(node.attrs, 'momentum');
    const runningMean = param('running_mean');
    const runningVar = param('running_var');
    return {
      run([x], [shape], out) {
        const s = batchStats(x!, shape!);
        const unbias = s.m > 1 ? s.m / (s.m - 1) : 1;
        for (let ch = 0; ch < s.c; ch++) {
          out[ch] = (1 - momentum) * runningMean[ch]! + momentum * s.mean[ch]!;
          out[s.c + ch] = (1 - momentum) * runningVar[ch]! + momentum * s.variance[ch]! * unbias;
        }
      },
    };
  },
};

/** Per channel: Σ dy and Σ dy·x̂, with x̂ = (x − μ)/σ. */
function gradSums(dy: Float32Array, x: Float32Array, shape: readonly number[], eps: number) {
  const s = batchStats(x, shape);
  const inv = s.variance.map((v) => 1 / Math.sqrt(v + eps));
  const sumDy = new Float64Array(s.c);
  const sumDyXhat = new Float64Array(s.c);
  eachElement(shape[0]!, s, (i, ch) => {
    sumDy[ch]! += dy[i]!;
    sumDyXhat[ch]! += dy[i]! * (x[i]! - s.mean[ch]!) * inv[ch]!;
  });
  return { s, inv, sumDy, sumDyXhat };
}

export const batchnormGradWeight: Kernel = {
  op: 'batchnorm_grad_weight',
  bind(node) {
    const eps = float(node.attrs, 'eps');
    return {
      run([dy, x], [shape], out) {
        const { sumDyXhat } = gradSums(dy!, x!, shape!, eps);
        out.set(sumDyXhat);
      },
    };
  },
};

/** dL/dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)): the batch mean and variance depend on x. */
export const batchnormGradInput: Kernel = {
  op: 'batchnorm_grad_input',
  bind(node, param) {
    const eps = float(node.attrs, 'eps');
    const gamma = param('weight');
    return {
      run([dy, x], [shape], out) {
        const { s, inv, sumDy, sumDyXhat } = gradSums(dy!, x!, shape!, eps);
        eachElement(shape![0]!, s, (i, ch) => {
          const xhat = (x![i]! - s.mean[ch]!) * inv[ch]!;
          const centred = dy![i]! - sumDy[ch]! / s.m - (xhat * sumDyXhat[ch]!) / s.m;
          out[i] = gamma[ch]! * inv[ch]! * centred;
        });
      },
    };
  },
};
