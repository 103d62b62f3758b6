/**
 * Concatenation along an axis: in row-major layout each input is `outer` contiguous chunks of
 * shape[axis] * inner floats, placed every outShape[axis] * inner floats in the output.
 */
import { int } from '@kiln/core';
import type { WasmKernel } from './types.js';
import { sizeOf } from './types.js';

export const concat: WasmKernel = {
  op: 'concat',
  bind(node) {
    const raw = int(node.attrs, 'axis');
    return {
      run(k, { inputs, inShapes, out, outShape }) {
        const axis = raw < 0 ? raw + outShape.length : raw;
        const outer = sizeOf(outShape.slice(0, axis));
        const inner = sizeOf(outShape.slice(axis + 1));
        const stride = outShape[axis]! * inner;
        let offset = 0;
        inputs.forEach((x, i) => {
          const chunk = inShapes[i]![axis]! * inner;
          k.copyChunks(x, out + offset * 4, outer, chunk, stride);
          offset += chunk;
        });
      },
    };
  },
};
