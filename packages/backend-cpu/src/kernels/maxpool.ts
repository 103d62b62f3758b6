/** Max pooling; padding never wins (it is skipped, which equals padding with -infinity). */
import type { Kernel } from './types.js';
import { poolGeometry } from './pool-window.js';

export const maxpool: Kernel = {
  op: 'maxpool',
  bind(node) {
    return {
      run([x], [inShape], out, outShape) {
        const src = x!;
        const { rows, cols } = poolGeometry(node, inShape!, outShape);
        const [n, c, h, w] = inShape!;
        const planes = n! * c!;
        let o = 0;
        for (let p = 0; p < planes; p++) {
          const base = p * h! * w!;
          for (const r of rows) {
            for (const col of cols) {
              let m = -Infinity;
              for (let y = r.start; y < r.end; y++) {
                const row = base + y * w!;
                for (let xx = col.start; xx < col.end; xx++) {
                  const v = src[row + xx]!;
                  // v !== v is NaN: PyTorch's max pooling propagates it.
                  if (v > m || v !== v) m = v;
                }
              }
              out[o++] = m;
            }
          }
        }
      },
    };
  },
};
