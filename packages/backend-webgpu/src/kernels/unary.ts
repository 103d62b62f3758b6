/**
 * Shared forms of the one-input kernels: an activation applied elementwise (the same WGSL the
 * fused epilogues use), and an alias whose output is its input's storage under a new shape.
 *
 * Cache key of an activation: its op (and GELU's form); leaky ReLU's slope is a parameter.
 */
import { activationKey, activationScalars, applyActivation } from '../wgsl/activation.js';
import type { PointwiseSpec } from './pointwise.js';
import { pointwise } from './pointwise.js';
import type { GpuKernel } from './types.js';
import { input, sizeOf } from './types.js';

export function activationKernel(op: string): GpuKernel {
  return {
    op,
    bind: (node) => ({
      plan({ outShape, limits }) {
        const n = sizeOf(outShape);
        const spec: PointwiseSpec = {
          key: `act-${activationKey(node)}`,
          arity: 1,
          expr: (s, [x], i) => applyActivation(s, node, x!.get(i)),
        };
        const d = pointwise(spec, [input(0)], [n], n, limits, node.name, activationScalars(node));
        return { dispatches: [d] };
      },
    }),
  };
}

/** Row-major relabelling: the output shares its input's buffer, and no work is done. */
export function alias(op: string): GpuKernel {
  return { op, bind: () => ({ alias: true }) };
}
