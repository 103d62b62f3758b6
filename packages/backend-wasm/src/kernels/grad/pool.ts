/**
 * Backward kernels of the pools, inputs (dy, x), over the forward's window geometry
 * (../pool_window.ts; assembly/grad/pool.ts).
 */
import { bool } from '@kiln/core';
import { poolWindow } from '../pool_window.js';
import type { Call, WasmKernel } from '../types.js';

/** [planes, h, w, oh, ow] of a pool's input and output. */
function planes({ inShapes }: Call): [number, number, number, number, number] {
  const [n, c, h, w] = inShapes[1]! as [number, number, number, number];
  const [, , oh, ow] = inShapes[0]! as [number, number, number, number];
  return [n * c, h, w, oh, ow];
}

export const maxpoolGrad: WasmKernel = {
  op: 'maxpool_grad',
  bind(node) {
    const { kernel, stride, pad } = poolWindow(node);
    return {
      run(k, call) {
        const [dy, x] = call.inputs as [number, number];
        k.maxpoolGrad(dy, x, call.out, ...planes(call), ...kernel, ...stride, pad[0], pad[1]);
      },
    };
  },
};

export const avgpoolGrad: WasmKernel = {
  op: 'avgpool_grad',
  bind(node) {
    const { kernel, stride, pad } = poolWindow(node);
    const includePad = bool(node.attrs, 'count_include_pad') ? 1 : 0;
    return {
      run(k, call) {
        const geometry = [...planes(call), ...kernel, ...stride, ...pad] as const;
        k.avgpoolGrad(call.inputs[0]!, call.out, ...geometry, includePad);
      },
    };
  },
};

export const globalAvgpoolGrad: WasmKernel = {
  op: 'global_avgpool_grad',
  bind: () => ({
    run(k, { inputs, inShapes, out }) {
      const [n, c, h, w] = inShapes[1]! as [number, number, number, number];
      k.globalAvgpoolGrad(inputs[0]!, out, n * c, h * w);
    },
  }),
};
