// Training-mode dropout and batchnorm, and batchnorm's backward kernels, over [n, c, inner]
// (inner = H·W, or 1 for [N, C]). The batch statistics of a channel are recomputed from x where
// a kernel needs them, in float64 and in two passes (mean, then the biased variance), as the
// CPU reference does: each node keeps one output tensor, at the cost of a pass over x.
import { at } from '../layout';

/** x ⊙ mask · scale, scale = 1 / (1 − p); the mask is the training loop's seeded 0/1 draw. */
export function dropoutMask(x: usize, mask: usize, out: usize, len: i32, scale: f32): void {
  const s = f32x4.splat(scale);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const v = f32x4.mul(v128.load(at(x, i)), v128.load(at(mask, i)));
    v128.store(at(out, i), f32x4.mul(v, s));
  }
  for (; i < len; i++) store<f32>(at(out, i), load<f32>(at(x, i)) * load<f32>(at(mask, i)) * scale);
}

/** The mean of the m = n·inner values of channel ch. */
function channelMean(x: usize, n: i32, c: i32, inner: i32, ch: i32): f64 {
  let s: f64 = 0;
  for (let b = 0; b < n; b++) {
    const base = (b * c + ch) * inner;
    for (let i = base; i < base + inner; i++) s += <f64>load<f32>(at(x, i));
  }
  return s / <f64>(n * inner);
}

/** The biased variance of channel ch around `mean`. */
function channelVariance(x: usize, n: i32, c: i32, inner: i32, ch: i32, mean: f64): f64 {
  let q: f64 = 0;
  for (let b = 0; b < n; b++) {
    const base = (b * c + ch) * inner;
    for (let i = base; i < base + inner; i++) {
      const d = <f64>load<f32>(at(x, i)) - mean;
      q += d * d;
    }
  }
  return q / <f64>(n * inner);
}

/** (x − μ)·γ/√(σ² + ε) + β with the batch's mean and biased variance; gamma, beta are f32[c]. */
export function batchnormTrain(
  x: usize,
  gamma: usize,
  beta: usize,
  out: usize,
  n: i32,
  c: i32,
  inner: i32,
  eps: f64,
): void {
  for (let ch = 0; ch < c; ch++) {
    const mean = channelMean(x, n, c, inner, ch);
    const variance = channelVariance(x, n, c, inner, ch, mean);
    const scale = <f64>load<f32>(at(gamma, ch)) / Math.sqrt(variance + eps);
    const shift = <f64>load<f32>(at(beta, ch));
    for (let b = 0; b < n; b++) {
      const base = (b * c + ch) * inner;
      for (let i = base; i < base + inner; i++) {
        store<f32>(at(out, i), <f32>((<f64>load<f32>(at(x, i)) - mean) * scale + shift));
      }
    }
  }
}

/**
 * The running statistics after this batch, [2, c]: r ← (1 − momentum)·r + momentum·batch for
 * the mean and the unbiased variance; `running` holds the current mean then variance, f32[2c].
 */
export function batchnormStats(
  x: usize,
  running: usize,
  out: usize,
  n: i32,
  c: i32,
  inner: i32,
  momentum: f64,
): void {
  const m = n * inner;
  const unbias: f64 = m > 1 ? <f64>m / <f64>(m - 1) : 1;
  for (let ch = 0; ch < c; ch++) {
    const mean = channelMean(x, n, c, inner, ch);
    const variance = channelVariance(x, n, c, inner, ch, mean);
    const rm = <f64>load<f32>(at(running, ch));
    const rv = <f64>load<f32>(at(running, c + ch));
    store<f32>(at(out, ch), <f32>((1 - momentum) * rm + momentum * mean));
    store<f32>(at(out, c + ch), <f32>((1 - momentum) * rv + momentum * variance * unbias));
  }
}

// Σ dy and Σ dy·x̂ of the channel gradSums last visited. Globals are per instance, so each
// worker thread has its own.
let sumDy: f64 = 0;
let sumDyXhat: f64 = 0;

/** Σ dy and Σ dy·x̂ over channel ch, x̂ = (x − μ)·inv, into sumDy and sumDyXhat. */
function gradSums(
  dy: usize,
  x: usize,
  n: i32,
  c: i32,
  inner: i32,
  ch: i32,
  mean: f64,
  inv: f64,
): void {
  sumDy = 0;
  sumDyXhat = 0;
  for (let b = 0; b < n; b++) {
    const base = (b * c + ch) * inner;
    for (let i = base; i < base + inner; i++) {
      const g = <f64>load<f32>(at(dy, i));
      sumDy += g;
      sumDyXhat += g * (<f64>load<f32>(at(x, i)) - mean) * inv;
    }
  }
}

/** dL/dγ per channel: Σ dy·x̂. */
export function batchnormGradWeight(
  dy: usize,
  x: usize,
  out: usize,
  n: i32,
  c: i32,
  inner: i32,
  eps: f64,
): void {
  for (let ch = 0; ch < c; ch++) {
    const mean = channelMean(x, n, c, inner, ch);
    const inv = 1 / Math.sqrt(channelVariance(x, n, c, inner, ch, mean) + eps);
    gradSums(dy, x, n, c, inner, ch, mean, inv);
    store<f32>(at(out, ch), <f32>sumDyXhat);
  }
}

/** dL/dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)): the batch mean and variance depend on x. */
export function batchnormGradInput(
  dy: usize,
  x: usize,
  gamma: usize,
  out: usize,
  n: i32,
  c: i32,
  inner: i32,
  eps: f64,
): void {
  const m = <f64>(n * inner);
  for (let ch = 0; ch < c; ch++) {
    const mean = channelMean(x, n, c, inner, ch);
    const inv = 1 / Math.sqrt(channelVariance(x, n, c, inner, ch, mean) + eps);
    gradSums(dy, x, n, c, inner, ch, mean, inv);
    const g = <f64>load<f32>(at(gamma, ch)) * inv;
    for (let b = 0; b < n; b++) {
      const base = (b * c + ch) * inner;
      for (let i = base; i < base + inner; i++) {
        const xhat = (<f64>load<f32>(at(x, i)) - mean) * inv;
        const centred = <f64>load<f32>(at(dy, i)) - sumDy / m - (xhat * sumDyXhat) / m;
        store<f32>(at(out, i), <f32>(g * centred));
      }
    }
  }
}
