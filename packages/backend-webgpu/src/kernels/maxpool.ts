/** Max pooling; padding never wins (it is skipped, which equals padding with −infinity). */
import { poolKernel } from './pool.js';
import type { GpuKernel } from './types.js';

export const maxpool: GpuKernel = {
  op: 'maxpool',
  bind: (node) =>
    poolKernel(node, {
      key: 'max',
      // The window always holds a real element (padding is at most half the kernel).
      start: 'var best = -3.402823e38;\nvar seen = false;',
      // v != v is NaN, which PyTorch's max pooling propagates.
      each: 'if (!seen || v > best || v != v) { best = v; seen = true; }',
      result: () => 'best',
    }),
};
