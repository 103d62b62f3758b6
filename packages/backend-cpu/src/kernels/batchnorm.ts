/**
 * Batch normalisation at inference: y = (x - running_mean) / sqrt(running_var + eps) * weight
 * + bias per channel (axis 1), on [N, C] or [N, C, H, W]. The per-channel scale and shift come
 * from core's `batchnormAffine`, once at bind time, in float64.
 */
import { batchnormAffine, float } from '@kiln/core';
import type { Kernel } from './types.js';

export const batchnorm: Kernel = {
  op: 'batchnorm',
  bind(node, param) {
    const { scale, shift } = batchnormAffine(float(node.attrs, 'eps'), param);
    const c = scale.length;
    return {
      run([x], [shape], out) {
        const src = x!;
        const n = shape![0]!;
        const inner = shape!.length === 4 ? shape![2]! * shape![3]! : 1;
        for (let b = 0; b < n; b++) {
          for (let ch = 0; ch < c; ch++) {
            const s = scale[ch]!;
            const t = shift[ch]!;
            const base = (b * c + ch) * inner;
            for (let i = base; i < base + inner; i++) out[i] = src[i]! * s + t;
          }
        }
      },
    };
  },
};
