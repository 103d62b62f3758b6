/**
 * Concatenation along an axis: in row-major layout each input is `outer` rows of
 * shape[axis]·inner values, placed side by side in the output's rows; one block copy per input.
 */
import { int } from '@kiln/core';
import { copyBlock } from './copy.js';
import type { GpuKernel } from './types.js';
import { input, output, sizeOf } from './types.js';

export const concat: GpuKernel = {
  op: 'concat',
  bind: (node) => ({
    plan({ inShapes, outShape, limits }) {
      const raw = int(node.attrs, 'axis');
      const axis = raw < 0 ? raw + outShape.length : raw;
      const outer = sizeOf(outShape.slice(0, axis));
      const inner = sizeOf(outShape.slice(axis + 1));
      let offset = 0;
      const dispatches = inShapes.map((shape, k) => {
        const chunk = shape[axis]! * inner;
        const block = { rows: outer, chunk, srcOffset: 0, dstOffset: offset };
        offset += chunk;
        return copyBlock(
          input(k),
          output,
          sizeOf(shape),
          sizeOf(outShape),
          block,
          limits,
          node.name,
        );
      });
      return { dispatches };
    },
  }),
};
