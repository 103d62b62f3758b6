/**
 * Inference batch normalisation on [N, C] or [N, C, H, W]. weight, bias and the running
 * statistics fold at compile time, in float64, into one (scale, shift) pair per channel:
 * scale = weight / sqrt(running_var + eps), shift = bias - running_mean * scale.
 */
import { batchnormAffine, float } from '@kiln/core';
import type { WasmKernel } from './types.js';

export const batchnorm: WasmKernel = {
  op: 'batchnorm',
  bind(node, param) {
    const { scale, shift } = batchnormAffine(float(node.attrs, 'eps'), param);
    const c = scale.length;
    return {
      constants: [
        {
          bytes: c * 16,
          write(_k, memory, dst) {
            const pairs = new Float64Array(memory.buffer, dst, 2 * c);
            for (let i = 0; i < c; i++) {
              pairs[2 * i] = scale[i]!;
              pairs[2 * i + 1] = shift[i]!;
            }
          },
        },
      ],
      run(k, { inputs, inShapes, out, constants }) {
        const shape = inShapes[0]!;
        const inner = shape.length === 4 ? shape[2]! * shape[3]! : 1;
        k.batchnorm(inputs[0]!, out, constants[0]!, shape[0]!, c, inner);
      },
    };
  },
};
