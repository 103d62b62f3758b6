/**
 * Concatenation along an axis. Row-major layout makes each input a sequence of contiguous
 * chunks of size shape[axis] * inner, interleaved over the outer dimensions.
 */
import { int } from '@kiln/core';
import type { Kernel } from './types.js';
import { sizeOf } from './types.js';

export const concat: Kernel = {
  op: 'concat',
  bind(node) {
    const raw = int(node.attrs, 'axis');
    return {
      run(inputs, inShapes, out, outShape) {
        const axis = raw < 0 ? raw + outShape.length : raw;
        const outer = sizeOf(outShape.slice(0, axis));
        const inner = sizeOf(outShape.slice(axis + 1));
        const outChunk = outShape[axis]! * inner;
        let offset = 0;
        inputs.forEach((x, k) => {
          const chunk = inShapes[k]![axis]! * inner;
          for (let o = 0; o < outer; o++) {
            out.set(x.subarray(o * chunk, (o + 1) * chunk), o * outChunk + offset);
          }
          offset += chunk;
        });
      },
    };
  },
};
