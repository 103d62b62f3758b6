/**
 * Softmax along one axis: one invocation per row (every index outside the axis), which finds
 * the row's maximum, sums exp(x − max) (so exp never overflows), and writes the quotients.
 *
 * Cache key: none beyond the workgroup size (the axis is folded into the [outer, len, inner]
 * view the parameters describe).
 */
import { int } from '@kiln/core';
import { unravelBy } from '../wgsl/builder.js';
import { program } from '../wgsl/program.js';
import { kahanAdd } from '../wgsl/reduce.js';
import { perElement } from './grid.js';
import type { Dims, GpuKernel } from './types.js';
import { input, output, sizeOf } from './types.js';

/** [outer, len, inner]: the shape seen around `axis` (negative counts from the end). */
export function aroundAxis(shape: Dims, raw: number): [number, number, number] {
  const axis = raw < 0 ? raw + shape.length : raw;
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

export const softmax: GpuKernel = {
  op: 'softmax',
  bind: (node) => ({
    plan({ inShapes, limits }) {
      const view = aroundAxis(inShapes[0]!, int(node.attrs, 'axis'));
      const p = program('softmax', limits, (s) => {
        const x = s.tensor('x', 3);
        const y = s.tensor('y', 3, 'read_write');
        s.main(`
  let row = ${s.flatId};
  if (row >= ${x.dim(0)} * ${x.dim(2)}) { return; }
  ${unravelBy('row', [x.dim(2), '1u'], ['o', 'i'])}
  let len = ${x.dim(1)};
  var top = ${x.at('o', '0u', 'i')};
  for (var a = 1u; a < len; a++) { top = max(top, ${x.at('o', 'a', 'i')}); }
  var sum = 0.0;
  var carry = 0.0;
  for (var a = 0u; a < len; a++) ${kahanAdd('sum', 'carry', `exp(${x.at('o', 'a', 'i')} - top)`)}
  for (var a = 0u; a < len; a++) {
    ${y.set(y.offset('o', 'a', 'i'), `exp(${x.at('o', 'a', 'i')} - top) / sum`)}
  }`);
      });
      return {
        dispatches: [
          {
            program: p,
            operands: [input(0), output],
            shapes: { x: view, y: view },
            workgroups: perElement(view[0] * view[2], limits, node.name),
          },
        ],
      };
    },
  }),
};
