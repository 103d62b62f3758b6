/**
 * Average pooling. The divisor is the window's extent inside the padded input when
 * count_include_pad is set (PyTorch's default), else the number of real elements summed.
 */
import { bool } from '@kiln/core';
import { poolKernel } from './pool.js';
import type { GpuKernel } from './types.js';

export const avgpool: GpuKernel = {
  op: 'avgpool',
  bind: (node) =>
    poolKernel(
      node,
      {
        key: 'avg',
        start: 'var sum = 0.0;',
        each: 'sum += v;',
        result: (s) => {
          const all = 'f32(win_h_padded * win_w_padded)';
          const real = 'f32((win_h_end - win_h_start) * (win_w_end - win_w_start))';
          return `sum / select(${real}, ${all}, ${s.param('include_pad', 'u32')} != 0u)`;
        },
      },
      { include_pad: bool(node.attrs, 'count_include_pad') ? 1 : 0 },
    ),
};
