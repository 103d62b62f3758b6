// Backward kernels of dense, and the bias gradient shared with conv and batchnorm.
// dL/dx of dense is the forward `dense` itself (dy times W packed as B), so only dL/dW and
// dL/db live here.
import { gemm } from '../gemm';
import { MR, NR, TILE, at, roundUp } from '../layout';
import { packA, packB } from '../pack';

/**
 * dL/dW [units, k] = dyᵀ [units, n] · x [n, k] through the packed GEMM, or the share `part` of
 * `parts` of it: a band of W's columns, NR-aligned. Each part packs dyᵀ (units x n, small) and
 * its band of x into its own scratch (`stride` bytes from scratch + part * stride, the GEMM's
 * edge tile in its last TILE bytes), and writes only its band of the output.
 */
export function denseGradWeight(
  dy: usize,
  x: usize,
  out: usize,
  scratch: usize,
  stride: i32,
  n: i32,
  k: i32,
  units: i32,
  part: i32,
  parts: i32,
): void {
  const band = roundUp((k + parts - 1) / parts, NR);
  const from = part * band;
  const to = min(k, from + band);
  if (from >= to) return;
  const pa = scratch + <usize>part * <usize>stride;
  const pb = pa + ((<usize>(roundUp(units, MR) * n)) << 2);
  packA(dy, 1, units, units, n, pa);
  packB(at(x, from), k, 1, n, to - from, pb, 0, to - from);
  const bytes = (<usize>(to - from)) << 2;
  for (let u = 0; u < units; u++) memory.fill(at(out, u * k + from), 0, bytes);
  gemm(pa, pb, at(out, from), k, units, to - from, n, pa + <usize>stride - TILE);
}

/**
 * dL/db [c]: dy [n, c, inner] summed over all axes but 1, in float64: per image, then over
 * images. A map's values are summed four lanes at a time, in two f64x2 accumulators.
 */
export function biasGrad(dy: usize, out: usize, n: i32, c: i32, inner: i32): void {
  for (let ch = 0; ch < c; ch++) {
    let total: f64 = 0;
    for (let b = 0; b < n; b++) {
      const base = at(dy, (b * c + ch) * inner);
      let lo = f64x2.splat(0);
      let hi = f64x2.splat(0);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const v = v128.load(at(base, i));
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
      }
      const pair = f64x2.add(lo, hi);
      let s = f64x2.extract_lane(pair, 0) + f64x2.extract_lane(pair, 1);
      for (; i < inner; i++) s += <f64>load<f32>(at(base, i));
      total += s;
    }
    store<f32>(at(out, ch), <f32>total);
  }
}
