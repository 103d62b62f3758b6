/**
 * Average pooling. The divisor is the window's extent inside the padded input when
 * count_include_pad is set (PyTorch's default), else the number of real elements summed.
 */
import { bool } from '@kiln/core';
import type { Kernel } from './types.js';
import { poolGeometry } from './pool-window.js';

export const avgpool: Kernel = {
  op: 'avgpool',
  bind(node) {
    const includePad = bool(node.attrs, 'count_include_pad');
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
              let s = 0;
              for (let y = r.start; y < r.end; y++) {
                const row = base + y * w!;
                for (let xx = col.start; xx < col.end; xx++) s += src[row + xx]!;
              }
              const count = includePad
                ? r.padded * col.padded
                : (r.end - r.start) * (col.end - col.start);
              out[o++] = s / count;
            }
          }
        }
      },
    };
  },
};
