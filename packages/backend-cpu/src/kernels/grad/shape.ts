/** Backward kernels of the layout ops: a relabelling copy, and the slice one concat input filled. */
import { int } from '@kiln/core';
import type { Kernel } from '../types.js';
import { sizeOf } from '../types.js';

export const reshapeAs: Kernel = {
  op: 'reshape_as',
  bind: () => ({
    run([dy], _shapes, out) {
      out.set(dy!.subarray(0, out.length));
    },
  }),
};

export const concatSlice: Kernel = {
  op: 'concat_slice',
  bind(node) {
    const axis = int(node.attrs, 'axis');
    const offset = int(node.attrs, 'offset');
    return {
      run([dy], [dyShape], out, outShape) {
        const outer = sizeOf(outShape.slice(0, axis));
        const inner = sizeOf(outShape.slice(axis + 1));
        const chunk = outShape[axis]! * inner;
        const dyChunk = dyShape![axis]! * inner;
        for (let o = 0; o < outer; o++) {
          const from = o * dyChunk + offset * inner;
          out.set(dy!.subarray(from, from + chunk), o * chunk);
        }
      },
    };
  },
};
