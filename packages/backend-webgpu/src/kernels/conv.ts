/**
 * Convolution as an implicit GEMM per image and channel group (batch index z = img·groups + g):
 * y_g [Cout/groups, OH·OW] = W_g [Cout/groups, Cin/groups·kh·kw] · columns_g, where the column
 * matrix is read through the window (wgsl/window.ts), never stored. The bias and a fused
 * activation are applied as each value is stored.
 *
 * Cache key: the fused activation and the GEMM tile (the bias is switched by a parameter).
 */
import { bool, int, ints } from '@kiln/core';
import { activationKey, activationScalars, applyActivation } from '../wgsl/activation.js';
import { biasTerm, gemm, gemmGrid, gemmTile, tileKey } from '../wgsl/gemm.js';
import { program } from '../wgsl/program.js';
import { convGeometry, convScalars, im2colTap } from '../wgsl/window.js';
import { grid3 } from './grid.js';
import type { GpuKernel } from './types.js';
import { constant, input, output } from './types.js';

export const conv: GpuKernel = {
  op: 'conv',
  bind(node, ctx) {
    const bias = bool(node.attrs, 'bias');
    return {
      constants: bias ? [ctx.weight('weight'), ctx.weight('bias')] : [ctx.weight('weight')],
      fusesActivation: true,
      plan({ inShapes, outShape, limits, activation }) {
        const [n, cout, oh, ow] = outShape as [number, number, number, number];
        const [kh, kw] = ints(node.attrs, 'kernel') as [number, number];
        const groups = int(node.attrs, 'groups');
        const depth = (inShapes[0]![1]! / groups) * kh * kw;
        const tile = gemmTile(limits, cout / groups, oh * ow);
        const key = `conv:${activationKey(activation)}:${tileKey(tile)}`;
        const p = program(key, limits, (s) => {
          const x = s.tensor('x', 4);
          const w = s.tensor('w', 2);
          const b = s.tensor('b', 1);
          const y = s.tensor('y', 3, 'read_write');
          const g = convGeometry(s);
          const ow = s.param('ow', 'u32');
          const opg = `(${y.dim(1)} / ${g.groups})`;
          const cpg = `(${x.dim(1)} / ${g.groups})`;
          const value = applyActivation(s, activation, `v + ${biasTerm(s, b, 'o')}`);
          gemm(s, tile, {
            m: opg,
            n: y.dim(2),
            k: w.dim(1),
            prelude: `
  let img = z / ${g.groups};
  let o0 = (z % ${g.groups}) * ${opg};
  let c0 = (z % ${g.groups}) * ${cpg};`,
            loadA: `v = ${w.at('o0 + m', 'k')};`,
            loadB: im2colTap(g, x, ow, 'img', 'c0', 'k', 'n'),
            store: `
  let o = o0 + m;
  ${y.set(y.offset('img', 'o', 'n'), value)}`,
          });
        });
        // Without a bias the weight is bound in its place: has_bias = 0 ignores what is read there.
        const operands = [input(0), constant(0), constant(bias ? 1 : 0), output];
        return {
          dispatches: [
            {
              program: p,
              operands,
              shapes: { x: inShapes[0]!, w: [cout, depth], b: [cout], y: [n, cout, oh * ow] },
              scalars: {
                ...convScalars(node.attrs),
                ow,
                has_bias: bias ? 1 : 0,
                ...activationScalars(activation),
              },
              workgroups: grid3(
                ...gemmGrid(tile, cout / groups, oh * ow, n * groups),
                limits,
                node.name,
              ),
            },
          ],
        };
      },
    };
  },
};
