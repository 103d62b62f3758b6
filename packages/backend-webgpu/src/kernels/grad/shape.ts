/**
 * Backward kernels of the layout ops: `reshape_as` is dy's storage under x's shape (no work);
 * `concat_slice` copies the block of dy one concat input filled (the forward copy, reversed).
 */
import { int } from '@kiln/core';
import { copyBlock } from '../copy.js';
import type { GpuKernel } from '../types.js';
import { input, output, sizeOf } from '../types.js';
import { alias } from '../unary.js';

export const reshapeAs = alias('reshape_as');

export const concatSlice: GpuKernel = {
  op: 'concat_slice',
  bind: (node) => ({
    plan({ inShapes, outShape, limits }) {
      const axis = int(node.attrs, 'axis');
      const offset = int(node.attrs, 'offset');
      const outer = sizeOf(outShape.slice(0, axis));
      const inner = sizeOf(outShape.slice(axis + 1));
      const block = {
        rows: outer,
        chunk: outShape[axis]! * inner,
        srcOffset: offset * inner,
        dstOffset: 0,
      };
      const dy = sizeOf(inShapes[0]!);
      const d = copyBlock(input(0), output, dy, sizeOf(outShape), block, limits, node.name);
      return { dispatches: [d] };
    },
  }),
};
