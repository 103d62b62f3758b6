/**
 * Fully connected: y [N, units] = x [N, K] · Wᵀ + b, the tiled GEMM with A = x and B read
 * transposed from W [units, K]. The bias and a fused activation are applied as each value is
 * stored.
 *
 * Cache key: the fused activation and the GEMM tile (the bias is switched by a parameter).
 */
import { bool } from '@kiln/core';
import { activationKey, activationScalars, applyActivation } from '../wgsl/activation.js';
import { biasTerm, gemm, gemmGrid, gemmTile, tileKey } from '../wgsl/gemm.js';
import { program } from '../wgsl/program.js';
import { grid3 } from './grid.js';
import type { GpuKernel } from './types.js';
import { constant, input, output } from './types.js';

export const dense: GpuKernel = {
  op: 'dense',
  bind(node, ctx) {
    const bias = bool(node.attrs, 'bias');
    return {
      constants: bias ? [ctx.weight('weight'), ctx.weight('bias')] : [ctx.weight('weight')],
      fusesActivation: true,
      plan({ inShapes, outShape, limits, activation }) {
        const [rows, units] = outShape as [number, number];
        const k = inShapes[0]![1]!;
        const tile = gemmTile(limits, rows, units);
        const key = `dense:${activationKey(activation)}:${tileKey(tile)}`;
        const p = program(key, limits, (s) => {
          const x = s.tensor('x', 2);
          const w = s.tensor('w', 2);
          const b = s.tensor('b', 1);
          const y = s.tensor('y', 2, 'read_write');
          const value = applyActivation(s, activation, `v + ${biasTerm(s, b, 'n')}`);
          gemm(s, tile, {
            m: x.dim(0),
            n: w.dim(0),
            k: x.dim(1),
            loadA: `v = ${x.at('m', 'k')};`,
            loadB: `v = ${w.at('n', 'k')};`,
            store: y.set(y.offset('m', 'n'), value),
          });
        });
        // Without a bias the weight is bound in its place: has_bias = 0 ignores what is read there.
        const operands = [input(0), constant(0), constant(bias ? 1 : 0), output];
        return {
          dispatches: [
            {
              program: p,
              operands,
              shapes: { x: [rows, k], w: [units, k], b: [units], y: [rows, units] },
              scalars: { has_bias: bias ? 1 : 0, ...activationScalars(activation) },
              workgroups: grid3(...gemmGrid(tile, rows, units, 1), limits, node.name),
            },
          ],
        };
      },
    };
  },
};
