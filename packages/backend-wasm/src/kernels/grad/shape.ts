/** Backward kernels of the layout ops: a relabelling copy, and the slice one concat input filled. */
import { int } from '@kiln/core';
import { identity } from '../unary.js';
import type { WasmKernel } from '../types.js';
import { sizeOf } from '../types.js';

/** dy's elements in x's shape: row-major, so the same order. */
export const reshapeAs = identity('reshape_as');

/** Inputs (dy, x): `outer` chunks of x's extent along the axis, from `offset` on in dy's. */
export const concatSlice: WasmKernel = {
  op: 'concat_slice',
  bind(node) {
    const axis = int(node.attrs, 'axis');
    const offset = int(node.attrs, 'offset');
    return {
      run(k, { inputs, inShapes, out, outShape }) {
        const outer = sizeOf(outShape.slice(0, axis));
        const inner = sizeOf(outShape.slice(axis + 1));
        const stride = inShapes[0]![axis]! * inner;
        k.concatSlice(inputs[0]!, out, outer, outShape[axis]! * inner, stride, offset * inner);
      },
    };
  },
};
