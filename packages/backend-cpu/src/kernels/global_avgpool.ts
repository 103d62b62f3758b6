/** Mean over each [H, W] map: [N, C, H, W] -> [N, C, 1, 1]; sums are float64. */
import type { Kernel } from './types.js';

export const globalAvgpool: Kernel = {
  op: 'global_avgpool',
  bind: () => ({
    run([x], [shape], out) {
      const src = x!;
      const area = shape![2]! * shape![3]!;
      for (let m = 0; m < out.length; m++) {
        let s = 0;
        for (let i = m * area; i < (m + 1) * area; i++) s += src[i]!;
        out[m] = s / area;
      }
    },
  }),
};
