/**
 * Batch normalisation at inference on [N, C] or [N, C, H, W]: one affine map per channel,
 * y = scale·x + shift, folded once from the four tensors by core's `batchnormAffine` (float64,
 * then stored as float32 [scale..., shift...]). A following activation may be fused.
 *
 * Cache key: the fused activation.
 */
import { batchnormAffine, float } from '@kiln/core';
import { activationKey, activationScalars, applyActivation } from '../wgsl/activation.js';
import { program } from '../wgsl/program.js';
import { perElement } from './grid.js';
import type { GpuKernel } from './types.js';
import { constant, input, output, sizeOf } from './types.js';

export const batchnorm: GpuKernel = {
  op: 'batchnorm',
  bind(node, ctx) {
    const eps = float(node.attrs, 'eps');
    const names = ['weight', 'bias', 'running_mean', 'running_var'] as const;
    const affine = ctx.derived('affine', names, (w) => {
      const { scale, shift } = batchnormAffine(eps, (name) => w(name));
      const out = new Float32Array(2 * scale.length);
      out.set(scale);
      out.set(shift, scale.length);
      return out;
    });
    return {
      constants: [affine],
      fusesActivation: true,
      plan({ inShapes, limits, activation }) {
        const shape = inShapes[0]!;
        const view = [shape[0]!, shape[1]!, sizeOf(shape.slice(2))];
        const p = program(`batchnorm:${activationKey(activation)}`, limits, (s) => {
          const x = s.tensor('x', 3);
          const ab = s.tensor('ab', 2);
          const y = s.tensor('y', 3, 'read_write');
          s.main(`
  let i = ${s.flatId};
  if (i >= ${y.count}) { return; }
  ${x.unravel('i', ['n', 'c', 'r'])}
  let v = ${x.get('i')} * ${ab.at('0u', 'c')} + ${ab.at('1u', 'c')};
  ${y.set('i', applyActivation(s, activation, 'v'))}`);
        });
        return {
          dispatches: [
            {
              program: p,
              operands: [input(0), constant(0), output],
              shapes: { x: view, ab: [2, view[1]!], y: view },
              scalars: activationScalars(activation),
              workgroups: perElement(sizeOf(shape), limits, node.name),
            },
          ],
        };
      },
    };
  },
};
