/**
 * Backward kernels of dense, and the bias gradient shared with conv and batchnorm. Both dense
 * products run on the tiled GEMM the forward pass uses:
 * - dL/dx [N, K] = dy [N, units] · W [units, K] (W is the forward node's, through `of`);
 * - dL/dW [units, K] = dyᵀ [units, N] · x [N, K].
 *
 * Cache keys: the GEMM tile.
 */
import { program } from '../../wgsl/program.js';
import { gemm, gemmGrid, gemmTile, tileKey } from '../../wgsl/gemm.js';
import { strided, workgroupSum } from '../../wgsl/reduce.js';
import { unravelBy } from '../../wgsl/builder.js';
import { grid, grid3 } from '../grid.js';
import type { GpuKernel } from '../types.js';
import { constant, input, output, sizeOf } from '../types.js';

export const denseGradInput: GpuKernel = {
  op: 'dense_grad_input',
  bind: (node, ctx) => ({
    constants: [ctx.weight('weight')],
    plan({ inShapes, outShape, limits }) {
      const [n, units] = inShapes[0] as [number, number];
      const k = outShape[1]!;
      const tile = gemmTile(limits, n, k);
      const p = program(`dense_grad_input:${tileKey(tile)}`, limits, (s) => {
        const dy = s.tensor('dy', 2);
        const w = s.tensor('w', 2);
        const dx = s.tensor('dx', 2, 'read_write');
        gemm(s, tile, {
          m: dy.dim(0),
          n: w.dim(1),
          k: dy.dim(1),
          loadA: `v = ${dy.at('m', 'k')};`,
          loadB: `v = ${w.at('k', 'n')};`,
          store: dx.set(dx.offset('m', 'n'), 'v'),
        });
      });
      return {
        dispatches: [
          {
            program: p,
            operands: [input(0), constant(0), output],
            shapes: { dy: [n, units], w: [units, k], dx: [n, k] },
            workgroups: grid3(...gemmGrid(tile, n, k, 1), limits, node.name),
          },
        ],
      };
    },
  }),
};

export const denseGradWeight: GpuKernel = {
  op: 'dense_grad_weight',
  bind: (node) => ({
    plan({ inShapes, limits }) {
      const [n, units] = inShapes[0] as [number, number];
      const k = inShapes[1]![1]!;
      const tile = gemmTile(limits, units, k);
      const p = program(`dense_grad_weight:${tileKey(tile)}`, limits, (s) => {
        const dy = s.tensor('dy', 2);
        const x = s.tensor('x', 2);
        const dw = s.tensor('dw', 2, 'read_write');
        gemm(s, tile, {
          m: dy.dim(1),
          n: x.dim(1),
          k: dy.dim(0),
          loadA: `v = ${dy.at('k', 'm')};`,
          loadB: `v = ${x.at('k', 'n')};`,
          store: dw.set(dw.offset('m', 'n'), 'v'),
        });
      });
      return {
        dispatches: [
          {
            program: p,
            operands: [input(0), input(1), output],
            shapes: { dy: [n, units], x: [n, k], dw: [units, k] },
            workgroups: grid3(...gemmGrid(tile, units, k, 1), limits, node.name),
          },
        ],
      };
    },
  }),
};

/** dL/db: dy summed over every axis but the channel axis 1, one workgroup per channel. */
export const biasGrad: GpuKernel = {
  op: 'bias_grad',
  bind: (node) => ({
    plan({ inShapes, limits }) {
      const shape = inShapes[0]!;
      const view = [shape[0]!, shape[1]!, sizeOf(shape.slice(2))];
      const p = program('bias_grad', limits, (s) => {
        const dy = s.tensor('dy', 3);
        const db = s.tensor('db', 1, 'read_write');
        s.main(`
  let c = ${s.groupId};
  if (c >= ${dy.dim(1)}) { return; }
  var part = 0.0;
  ${strided(s, 'j', `${dy.dim(0)} * ${dy.dim(2)}`)} {
    ${unravelBy('j', [dy.dim(2), '1u'], ['b', 'r'])}
    part += ${dy.at('b', 'c', 'r')};
  }
  ${workgroupSum(s, 'total', 'part')}
  if (lix == 0u) { ${db.set('c', 'total')} }`);
      });
      return {
        dispatches: [
          {
            program: p,
            operands: [input(0), output],
            shapes: { dy: view, db: [view[1]!] },
            workgroups: grid(view[1]!, limits, node.name),
          },
        ],
      };
    },
  }),
};
