/** Softmax along `axis`, the tensor seen as [outer, len, inner]. */
import { int } from '@kiln/core';
import type { WasmKernel } from './types.js';
import { sizeOf } from './types.js';

export const softmax: WasmKernel = {
  op: 'softmax',
  bind(node) {
    const raw = int(node.attrs, 'axis');
    return {
      run(k, { inputs, inShapes, out }) {
        const shape = inShapes[0]!;
        const axis = raw < 0 ? raw + shape.length : raw;
        const outer = sizeOf(shape.slice(0, axis));
        const inner = sizeOf(shape.slice(axis + 1));
        k.softmax(inputs[0]!, out, outer, shape[axis]!, inner);
      },
    };
  },
};
