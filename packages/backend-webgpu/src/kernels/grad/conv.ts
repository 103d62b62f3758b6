/**
 * Backward kernels of conv, both implicit GEMMs over the column matrix C of x (wgsl/window.ts),
 * per channel group g:
 * - dL/dW_g [Cout/groups, depth] = Σ over images of dy_g [Cout/groups, OH·OW] · C_gᵀ: one
 *   product whose depth runs over every image's output positions (K = N·OH·OW), so the batch sum
 *   happens inside the GEMM;
 * - dL/dx_g [Cin/groups, H·W] = W_gᵀ · dy through the adjoint of the window (`col2imTap`): each
 *   input pixel gathers the output positions that read it, so nothing is scattered.
 *
 * Cache keys: the GEMM tile.
 */
import { int, ints } from '@kiln/core';
import type { Attrs } from '@kiln/core';
import { gemm, gemmGrid, gemmTile, tileKey } from '../../wgsl/gemm.js';
import { unravelBy } from '../../wgsl/builder.js';
import { program } from '../../wgsl/program.js';
import { col2imTap, convGeometry, convScalars, im2colTap } from '../../wgsl/window.js';
import { grid3 } from '../grid.js';
import type { Dims, GpuKernel } from '../types.js';
import { constant, input, output } from '../types.js';

function geometry(attrs: Attrs, dy: Dims, x: Dims) {
  const groups = int(attrs, 'groups');
  const [kh, kw] = ints(attrs, 'kernel') as [number, number];
  const [n, cin, h, w] = x as [number, number, number, number];
  const [, cout, oh, ow] = dy as [number, number, number, number];
  return { groups, taps: kh * kw, n, cin, h, w, cout, oh, ow };
}

export const convGradWeight: GpuKernel = {
  op: 'conv_grad_weight',
  bind: (node) => ({
    plan({ inShapes, limits }) {
      const { groups, taps, n, cin, cout, oh, ow } = geometry(
        node.attrs,
        inShapes[0]!,
        inShapes[1]!,
      );
      const depth = (cin / groups) * taps;
      const tile = gemmTile(limits, cout / groups, depth);
      const p = program(`conv_grad_weight:${tileKey(tile)}`, limits, (s) => {
        const dy = s.tensor('dy', 3);
        const x = s.tensor('x', 4);
        const dw = s.tensor('dw', 2, 'read_write');
        const g = convGeometry(s);
        const ow = s.param('ow', 'u32');
        const opg = `(${dy.dim(1)} / ${g.groups})`;
        const cpg = `(${x.dim(1)} / ${g.groups})`;
        gemm(s, tile, {
          m: opg,
          n: dw.dim(1),
          k: `${dy.dim(0)} * ${dy.dim(2)}`,
          prelude: `
  let o0 = z * ${opg};
  let c0 = z * ${cpg};`,
          // The depth k runs over (image, output position).
          loadA: `
  ${unravelBy('k', [dy.dim(2), '1u'], ['img', 'p'])}
  v = ${dy.at('img', 'o0 + m', 'p')};`,
          loadB: `
  ${unravelBy('k', [dy.dim(2), '1u'], ['img', 'p'])}
  ${im2colTap(g, x, ow, 'img', 'c0', 'n', 'p')}`,
          store: dw.set(dw.offset('o0 + m', 'n'), 'v'),
        });
      });
      return {
        dispatches: [
          {
            program: p,
            operands: [input(0), input(1), output],
            shapes: { dy: [n, cout, oh * ow], x: inShapes[1]!, dw: [cout, depth] },
            scalars: { ...convScalars(node.attrs), ow },
            workgroups: grid3(...gemmGrid(tile, cout / groups, depth, groups), limits, node.name),
          },
        ],
      };
    },
  }),
};

export const convGradInput: GpuKernel = {
  op: 'conv_grad_input',
  bind: (node, ctx) => ({
    constants: [ctx.weight('weight')],
    plan({ inShapes, limits }) {
      const { groups, taps, n, cin, h, w, cout } = geometry(node.attrs, inShapes[0]!, inShapes[1]!);
      const tile = gemmTile(limits, cin / groups, h * w);
      const p = program(`conv_grad_input:${tileKey(tile)}`, limits, (s) => {
        const dy = s.tensor('dy', 4);
        const wt = s.tensor('w', 3);
        const dx = s.tensor('dx', 3, 'read_write');
        const g = convGeometry(s);
        const width = s.param('width', 'u32');
        const opg = `(${dy.dim(1)} / ${g.groups})`;
        const cpg = `(${dx.dim(1)} / ${g.groups})`;
        gemm(s, tile, {
          m: cpg,
          n: dx.dim(2),
          k: `${opg} * ${wt.dim(2)}`,
          prelude: `
  let img = z / ${g.groups};
  let o0 = (z % ${g.groups}) * ${opg};
  let c0 = (z % ${g.groups}) * ${cpg};`,
          // The depth k runs over (output channel of the group, kernel tap).
          loadA: `
  ${unravelBy('k', [wt.dim(2), '1u'], ['o', 'tap'])}
  v = ${wt.at('o0 + o', 'm', 'tap')};`,
          loadB: col2imTap(g, dy, width, 'img', 'o0', 'k', 'n'),
          store: dx.set(dx.offset('img', 'c0 + m', 'n'), 'v'),
        });
      });
      return {
        dispatches: [
          {
            program: p,
            operands: [input(0), constant(0), output],
            shapes: { dy: inShapes[0]!, w: [cout, cin / groups, taps], dx: [n, cin, h * w] },
            scalars: { ...convScalars(node.attrs), width: w },
            workgroups: grid3(
              ...gemmGrid(tile, cin / groups, h * w, n * groups),
              limits,
              node.name,
            ),
          },
        ],
      };
    },
  }),
};
