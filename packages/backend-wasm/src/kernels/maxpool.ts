/** Max pooling; padding never wins. */
import { poolWindow } from './pool_window.js';
import type { WasmKernel } from './types.js';

export const maxpool: WasmKernel = {
  op: 'maxpool',
  bind(node) {
    const { kernel, stride, pad } = poolWindow(node);
    return {
      run(k, { inputs, inShapes, out, outShape }) {
        const [n, c, h, w] = inShapes[0]! as [number, number, number, number];
        const [, , oh, ow] = outShape as [number, number, number, number];
        k.maxpool(inputs[0]!, out, n * c, h, w, oh, ow, ...kernel, ...stride, pad[0], pad[1]);
      },
    };
  },
};
