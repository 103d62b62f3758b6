// Loss kernels, inputs (prediction, target) seen as [n, k] rows, output [1]: the mean over the
// batch; and their gradients, shaped like the prediction. Sums and exponentials are float64.
// The fused forms never exponentiate a large positive number: cross-entropy uses
// lse(z) − z_j = (max − z_j) + log Σ exp(z − max); binary cross-entropy uses
// softplus(z) − t·z = max(z, 0) − t·z + log1p(e^−|z|).
import { at } from '../layout';

/** The maximum of a row of k logits (NaN wins, so a NaN row gives a NaN loss). */
function rowMax(z: usize, k: i32): f64 {
  let top: f64 = -Infinity;
  for (let j = 0; j < k; j++) {
    const v = <f64>load<f32>(at(z, j));
    top = v > top || v != v ? v : top;
  }
  return top;
}

/** log Σ exp(z − top) over a row. */
function logSum(z: usize, k: i32, top: f64): f64 {
  let s: f64 = 0;
  for (let j = 0; j < k; j++) s += Math.exp(<f64>load<f32>(at(z, j)) - top);
  return Math.log(s);
}

/** mean_n Σ_j t_nj (lse(z_n) − z_nj); a zero target skips its term (0 · ∞ would be NaN). */
export function softmaxCrossEntropy(z: usize, t: usize, out: usize, n: i32, k: i32): void {
  let total: f64 = 0;
  for (let b = 0; b < n; b++) {
    const row = at(z, b * k);
    const top = rowMax(row, k);
    const lse = logSum(row, k, top);
    for (let j = 0; j < k; j++) {
      const tj = <f64>load<f32>(at(t, b * k + j));
      if (tj != 0) total += tj * (top - <f64>load<f32>(at(row, j)) + lse);
    }
  }
  store<f32>(out, <f32>(total / <f64>n));
}

/** (softmax(z)·Σt − t) / n per row: softmax(z) − t for one-hot targets. */
export function softmaxCrossEntropyGrad(z: usize, t: usize, out: usize, n: i32, k: i32): void {
  for (let b = 0; b < n; b++) {
    const row = at(z, b * k);
    const trow = at(t, b * k);
    const top = rowMax(row, k);
    const lse = logSum(row, k, top);
    let mass: f64 = 0;
    for (let j = 0; j < k; j++) mass += <f64>load<f32>(at(trow, j));
    for (let j = 0; j < k; j++) {
      const p = Math.exp(<f64>load<f32>(at(row, j)) - top - lse);
      const g = (p * mass - <f64>load<f32>(at(trow, j))) / <f64>n;
      store<f32>(at(out, b * k + j), <f32>g);
    }
  }
}

/** mean of softplus(z) − t·z over all `count` elements. */
export function sigmoidBce(z: usize, t: usize, out: usize, count: i32): void {
  let total: f64 = 0;
  for (let i = 0; i < count; i++) {
    const v = <f64>load<f32>(at(z, i));
    const target = <f64>load<f32>(at(t, i));
    total += max(v, 0) - target * v + Math.log1p(Math.exp(-Math.abs(v)));
  }
  store<f32>(out, <f32>(total / <f64>count));
}

/** (σ(z) − t) / count, σ without overflow: e^z / (1 + e^z) for negative z. */
export function sigmoidBceGrad(z: usize, t: usize, out: usize, count: i32): void {
  for (let i = 0; i < count; i++) {
    const v = <f64>load<f32>(at(z, i));
    const e = Math.exp(-Math.abs(v));
    const sigma = v >= 0 ? 1 / (1 + e) : e / (1 + e);
    store<f32>(at(out, i), <f32>((sigma - <f64>load<f32>(at(t, i))) / <f64>count));
  }
}

/** mean of (y − t)² over all `count` elements. */
export function mseLoss(y: usize, t: usize, out: usize, count: i32): void {
  let total: f64 = 0;
  for (let i = 0; i < count; i++) {
    const d = <f64>load<f32>(at(y, i)) - <f64>load<f32>(at(t, i));
    total += d * d;
  }
  store<f32>(out, <f32>(total / <f64>count));
}

/** 2 (y − t) / count. */
export function mseLossGrad(y: usize, t: usize, out: usize, count: i32): void {
  for (let i = 0; i < count; i++) {
    const d = <f64>load<f32>(at(y, i)) - <f64>load<f32>(at(t, i));
    store<f32>(at(out, i), <f32>((2 * d) / <f64>count));
  }
}
