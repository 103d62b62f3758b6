/**
 * Backward kernels of dense, and the bias gradient shared with conv and batchnorm. Both
 * products run on the packed GEMM the forward uses, split among the session's threads:
 * - dL/dx [N, K] = dy [N, units] · W [units, K]: the forward `dense` task itself, with W packed
 *   (when its weights change) as the B operand read as it is, not transposed;
 * - dL/dW [units, K] = dyᵀ · x: dyᵀ packed with swapped strides, x as B, per run
 *   (assembly/grad/linear.ts).
 */
import {
  NR,
  STAGE_BYTES,
  TASK_DENSE,
  TASK_DENSE_GRAD_WEIGHT,
  packedABytes,
  packedBBytes,
} from '../../layout.js';
import type { Constant, WasmKernel } from '../types.js';
import { sizeOf } from '../types.js';

export const denseGradInput: WasmKernel = {
  op: 'dense_grad_input',
  bind(_node, param, paramShape) {
    const weight = param('weight');
    const [units, k] = paramShape('weight') as [number, number];
    // Columns of W per staged band: about STAGE_BYTES, whole panels.
    const band = Math.max(NR, Math.floor(STAGE_BYTES / 4 / units / NR) * NR);
    const constants: Constant[] = [
      {
        bytes: packedBBytes(units, k),
        stageBytes: Math.min(k, band) * units * 4,
        write(m, _memory, dst, stage) {
          if (band >= k) return m.packB(stage(weight), k, 1, units, k, dst, 0, k);
          for (let j = 0; j < k; j += band) {
            const to = Math.min(k, j + band);
            const cols = new Float32Array(units * (to - j));
            for (let u = 0; u < units; u++) {
              cols.set(weight.subarray(u * k + j, u * k + to), u * (to - j));
            }
            m.packB(stage(cols), to - j, 1, units, k, dst, j, to);
          }
        },
      },
    ];
    return {
      constants,
      scratchBytes: (inShapes) => packedABytes(inShapes[0]![0]!, units),
      task: ({ inputs, out, constants: at, scratch, stride, inShapes }) => {
        const n = inShapes[0]![0]!;
        return {
          op: TASK_DENSE,
          // The last word is the counter through which threads claim blocks: 0 at the start.
          args: [inputs[0]!, at[0]!, 0, out, scratch, stride, n, units, k, 0],
          macs: n * units * k,
        };
      },
    };
  },
};

export const denseGradWeight: WasmKernel = {
  op: 'dense_grad_weight',
  bind: () => ({
    scratchBytes: ([dy, x]) => packedABytes(dy![1]!, dy![0]!) + packedBBytes(x![0]!, x![1]!),
    task: ({ inputs, out, scratch, stride, inShapes }) => {
      const [n, units] = inShapes[0]! as [number, number];
      const k = inShapes[1]![1]!;
      return {
        op: TASK_DENSE_GRAD_WEIGHT,
        args: [inputs[0]!, inputs[1]!, out, scratch, stride, n, k, units],
        macs: n * units * k,
      };
    },
  }),
};

/** dL/db: dy summed over every axis but the channel axis 1 (float64 sums). */
export const biasGrad: WasmKernel = {
  op: 'bias_grad',
  bind: () => ({
    run(k, { inputs, inShapes, out }) {
      const shape = inShapes[0]!;
      k.biasGrad(inputs[0]!, out, shape[0]!, shape[1]!, sizeOf(shape.slice(2)));
    },
  }),
};
