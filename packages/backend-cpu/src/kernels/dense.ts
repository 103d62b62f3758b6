/**
 * Fully connected layer: Y[N, units] = X[N, K] · Wᵀ + b. The weight W [units, K] is read as the
 * transposed B operand (element (k, j) at W[j*K + k]) and packed once at bind time; X is packed
 * per run. The bias initialises each output row.
 */
import { bool, int } from '@kiln/core';
import { gemm, packA, packB, packedASize } from './gemm.js';
import type { Kernel } from './types.js';

export const dense: Kernel = {
  op: 'dense',
  bind(node, param) {
    const units = int(node.attrs, 'units');
    const weight = param('weight');
    const bias = bool(node.attrs, 'bias') ? param('bias') : undefined;
    const k = weight.length / units;
    const wt = packB(k, units, weight, 0, 1, k);
    let scratch = new Float32Array(0);
    return {
      run([x], [inShape], out) {
        const n = inShape![0]!;
        if (scratch.length < packedASize(n, k)) scratch = new Float32Array(packedASize(n, k));
        const xa = packA(n, k, x!, 0, k, 1, scratch);
        for (let b = 0; b < n; b++) {
          if (bias) out.set(bias, b * units);
          else out.fill(0, b * units, (b + 1) * units);
        }
        gemm(xa, wt, out, 0, units);
      },
    };
  },
};
