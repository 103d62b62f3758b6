/**
 * Softmax along one axis. The maximum along the axis is subtracted before exponentiating so
 * exp never overflows; sums are float64.
 */
import { int } from '@kiln/core';
import type { Kernel } from './types.js';
import { sizeOf } from './types.js';

export const softmax: Kernel = {
  op: 'softmax',
  bind(node) {
    const raw = int(node.attrs, 'axis');
    return {
      run([x], [shape], out) {
        const src = x!;
        const axis = raw < 0 ? raw + shape!.length : raw;
        const len = shape![axis]!;
        const inner = sizeOf(shape!.slice(axis + 1));
        const outer = sizeOf(shape!.slice(0, axis));
        for (let o = 0; o < outer; o++) {
          for (let i = 0; i < inner; i++) {
            const base = o * len * inner + i;
            let max = -Infinity;
            for (let a = 0; a < len; a++) max = Math.max(max, src[base + a * inner]!);
            let sum = 0;
            for (let a = 0; a < len; a++) sum += Math.exp(src[base + a * inner]! - max);
            for (let a = 0; a < len; a++) {
              out[base + a * inner] = Math.exp(src[base + a * inner]! - max) / sum;
            }
          }
        }
      },
    };
  },
};
