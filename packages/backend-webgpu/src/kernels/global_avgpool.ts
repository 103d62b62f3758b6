/**
 * Mean over each [H, W] map: [N, C, H, W] -> [N, C, 1, 1]. One workgroup per map sums it
 * (wgsl/reduce.ts) with compensated partial sums, so a large map keeps float32 rounding near
 * the float64 reference.
 *
 * Cache key: none beyond the workgroup size.
 */
import { program } from '../wgsl/program.js';
import { kahanAdd, strided, workgroupSum } from '../wgsl/reduce.js';
import { grid } from './grid.js';
import type { GpuKernel } from './types.js';
import { input, output } from './types.js';

export const globalAvgpool: GpuKernel = {
  op: 'global_avgpool',
  bind: (node) => ({
    plan({ inShapes, limits }) {
      const [n, c, h, w] = inShapes[0] as [number, number, number, number];
      const p = program('global_avgpool', limits, (s) => {
        const x = s.tensor('x', 2);
        const y = s.tensor('y', 1, 'read_write');
        s.main(`
  let plane = ${s.groupId};
  if (plane >= ${y.count}) { return; }
  var part = 0.0;
  var carry = 0.0;
  ${strided(s, 'i', x.dim(1))} ${kahanAdd('part', 'carry', x.at('plane', 'i'))}
  ${workgroupSum(s, 'total', 'part')}
  if (lix == 0u) { ${y.set('plane', `total / f32(${x.dim(1)})`)} }`);
      });
      return {
        dispatches: [
          {
            program: p,
            operands: [input(0), output],
            shapes: { x: [n * c, h * w], y: [n * c] },
            workgroups: grid(n * c, limits, node.name),
          },
        ],
      };
    },
  }),
};
