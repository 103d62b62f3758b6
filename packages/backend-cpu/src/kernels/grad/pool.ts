/**
 * Backward kernels of the pools, inputs (dy, x), over the forward's own window geometry
 * (pool-window.ts). Max pooling sends each upstream value to the first maximum of its window
 * (PyTorch's rule: a later equal value does not win); average pooling spreads it over the
 * window's real elements with the forward's divisor.
 */
import { bool } from '@kiln/core';
import { poolGeometry } from '../pool-window.js';
import type { Kernel } from '../types.js';

export const maxpoolGrad: Kernel = {
  op: 'maxpool_grad',
  bind(node) {
    return {
      run([dy, x], [dyShape, xShape], out) {
        const g = dy!;
        const src = x!;
        const { rows, cols } = poolGeometry(node, xShape!, dyShape!);
        const [n, c, h, w] = xShape as [number, number, number, number];
        out.fill(0);
        let o = 0;
        for (let p = 0; p < n * c; p++) {
          const base = p * h * w;
          for (const r of rows) {
            for (const col of cols) {
              let best = -1;
              let max = -Infinity;
              for (let y = r.start; y < r.end; y++) {
                for (let xx = col.start; xx < col.end; xx++) {
                  const v = src[base + y * w + xx]!;
                  if (best < 0 || v > max) {
                    max = v;
                    best = base + y * w + xx;
                  }
                }
              }
              if (best >= 0) out[best]! += g[o]!;
              o++;
            }
          }
        }
      },
    };
  },
};

export const avgpoolGrad: Kernel = {
  op: 'avgpool_grad',
  bind(node) {
    const includePad = bool(node.attrs, 'count_include_pad');
    return {
      run([dy], [dyShape, xShape], out) {
        const g = dy!;
        const { rows, cols } = poolGeometry(node, xShape!, dyShape!);
        const [n, c, h, w] = xShape as [number, number, number, number];
        out.fill(0);
        let o = 0;
        for (let p = 0; p < n * c; p++) {
          const base = p * h * w;
          for (const r of rows) {
            for (const col of cols) {
              const count = includePad
                ? r.padded * col.padded
                : (r.end - r.start) * (col.end - col.start);
              const share = g[o++]! / count;
              for (let y = r.start; y < r.end; y++) {
                for (let xx = col.start; xx < col.end; xx++) out[base + y * w + xx]! += share;
              }
            }
          }
        }
      },
    };
  },
};

export const globalAvgpoolGrad: Kernel = {
  op: 'global_avgpool_grad',
  bind() {
    return {
      run([dy], [, xShape], out) {
        const [n, c, h, w] = xShape as [number, number, number, number];
        const area = h * w;
        for (let p = 0; p < n * c; p++) out.fill(dy![p]! / area, p * area, (p + 1) * area);
      },
    };
  },
};
