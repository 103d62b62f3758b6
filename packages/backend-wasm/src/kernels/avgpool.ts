/** Average pooling; count_include_pad picks the divisor (PyTorch's default: include). */
import { bool } from '@kiln/core';
import { poolWindow } from './pool_window.js';
import type { WasmKernel } from './types.js';

export const avgpool: WasmKernel = {
  op: 'avgpool',
  bind(node) {
    const { kernel, stride, pad } = poolWindow(node);
    const includePad = bool(node.attrs, 'count_include_pad') ? 1 : 0;
    return {
      run(k, { inputs, inShapes, out, outShape }) {
        const [n, c, h, w] = inShapes[0]! as [number, number, number, number];
        const [, , oh, ow] = outShape as [number, number, number, number];
        k.avgpool(inputs[0]!, out, n * c, h, w, oh, ow, ...kernel, ...stride, ...pad, includePad);
      },
    };
  },
};
