/** Elementwise sum of n same-shape inputs: the first pair, then each further input into out. */
import type { WasmKernel } from './types.js';
import { sizeOf } from './types.js';

export const add: WasmKernel = {
  op: 'add',
  bind: () => ({
    run(k, { inputs, out, outShape }) {
      const len = sizeOf(outShape);
      if (inputs.length === 1) return k.copy(inputs[0]!, out, len);
      k.add(inputs[0]!, inputs[1]!, out, len);
      for (let i = 2; i < inputs.length; i++) k.add(out, inputs[i]!, out, len);
    },
  }),
};
