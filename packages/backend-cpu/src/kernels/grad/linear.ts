/**
 * Backward kernels of dense, and the bias gradient shared with conv and batchnorm. Both
 * products go through the packed GEMM the forward uses, so a training step costs about three
 * forward GEMMs rather than a slow hand loop:
 * - dL/dx [N, K] = dy [N, units] · W [units, K]; W is packed once at bind time.
 * - dL/dW [units, K] = dyᵀ [units, N] · x [N, K]; dyᵀ is dy packed with swapped strides.
 */
import { gemm, packA, packB, packedASize, packedBSize } from '../gemm.js';
import type { Kernel } from '../types.js';

export const denseGradInput: Kernel = {
  op: 'dense_grad_input',
  bind(_node, param) {
    const weight = param('weight');
    let w: ReturnType<typeof packB> | undefined;
    let scratch = new Float32Array(0);
    return {
      run([dy], [dyShape], out, outShape) {
        const [n, units] = dyShape as [number, number];
        const k = outShape[1]!;
        // The depth K is only known from the shapes, so W is packed at the first run.
        if (!w || w.cols !== k) w = packB(units, k, weight, 0, k, 1);
        if (scratch.length < packedASize(n, units))
          scratch = new Float32Array(packedASize(n, units));
        out.fill(0);
        gemm(packA(n, units, dy!, 0, units, 1, scratch), w, out, 0, k);
      },
    };
  },
};

export const denseGradWeight: Kernel = {
  op: 'dense_grad_weight',
  bind() {
    let a = new Float32Array(0);
    let b = new Float32Array(0);
    return {
      run([dy, x], [dyShape, xShape], out) {
        const [n, units] = dyShape as [number, number];
        const k = xShape![1]!;
        if (a.length < packedASize(units, n)) a = new Float32Array(packedASize(units, n));
        if (b.length < packedBSize(n, k)) b = new Float32Array(packedBSize(n, k));
        out.fill(0);
        gemm(packA(units, n, dy!, 0, 1, units, a), packB(n, k, x!, 0, k, 1, b), out, 0, k);
      },
    };
  },
};

/** dL/db: dy summed over every axis but the channel axis 1 (float64 sums). */
export const biasGrad: Kernel = {
  op: 'bias_grad',
  bind() {
    return {
      run([dy], [shape], out) {
        const g = dy!;
        const [n, c] = shape as [number, number];
        const inner = shape!.slice(2).reduce((p, d) => p * d, 1);
        const sums = new Float64Array(c);
        for (let b = 0; b < n; b++) {
          for (let ch = 0; ch < c; ch++) {
            const base = (b * c + ch) * inner;
            let s = 0;
            for (let i = base; i < base + inner; i++) s += g[i]!;
            sums[ch]! += s;
          }
        }
        for (let ch = 0; ch < c; ch++) out[ch] = sums[ch]!;
      },
    };
  },
};
