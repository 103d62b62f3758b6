/** [N, C, H, W] -> [N, C, 1, 1]: the mean of each map. */
import type { WasmKernel } from './types.js';

export const globalAvgpool: WasmKernel = {
  op: 'global_avgpool',
  bind: () => ({
    run(k, { inputs, inShapes, out }) {
      const [n, c, h, w] = inShapes[0]! as [number, number, number, number];
      k.globalAvgpool(inputs[0]!, out, n * c, h * w);
    },
  }),
};
