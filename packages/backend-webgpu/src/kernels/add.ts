/**
 * Elementwise sum of n same-shape inputs, left to right as the CPU adds them. A shader binds at
 * most maxStorageBuffersPerShaderStage buffers, so past that the sum runs in several dispatches,
 * each adding its inputs to what the output holds. A following activation may be fused (into
 * the last dispatch).
 *
 * Cache key: inputs in the dispatch, whether it accumulates, the fused activation.
 */
import { activationKey, activationScalars, applyActivation } from '../wgsl/activation.js';
import type { PointwiseSpec } from './pointwise.js';
import { pointwise } from './pointwise.js';
import type { Dispatch, GpuKernel } from './types.js';
import { input, sizeOf } from './types.js';

export const add: GpuKernel = {
  op: 'add',
  bind: (node) => ({
    fusesActivation: true,
    plan({ inShapes, outShape, limits, activation }) {
      const n = sizeOf(outShape);
      const k = inShapes.length;
      const per = limits.maxStorageBuffersPerShaderStage - 1;
      const dispatches: Dispatch[] = [];
      for (let from = 0; from < k; from += per) {
        const count = Math.min(per, k - from);
        const accumulate = from > 0;
        const act = from + count >= k ? activation : undefined;
        const spec: PointwiseSpec = {
          key: `add-${activationKey(act)}`,
          arity: count,
          accumulate,
          expr: (s, xs, i) => {
            const terms = xs.map((x) => x.get(i));
            return applyActivation(
              s,
              act,
              (accumulate ? [`out[${i}]`, ...terms] : terms).join(' + '),
            );
          },
        };
        const operands = Array.from({ length: count }, (_, j) => input(from + j));
        const sizes = operands.map(() => n);
        dispatches.push(
          pointwise(spec, operands, sizes, n, limits, node.name, activationScalars(act)),
        );
      }
      return { dispatches };
    },
  }),
};
