/**
 * A strided block copy shared by concat and its gradient: src and dst are seen as `rows` rows
 * (of their length / rows values each), and each row copies `chunk` consecutive values from
 * src at `srcOffset` into dst at `dstOffset`.
 * Row-major layout makes one concat input, or one slice of a concat's gradient, exactly such a
 * block.
 *
 * Cache key: none beyond the workgroup size.
 */
import type { GpuLimits } from '../device.js';
import { unravelBy } from '../wgsl/builder.js';
import { program } from '../wgsl/program.js';
import { perElement } from './grid.js';
import type { Dispatch, Operand } from './types.js';

export interface Block {
  readonly rows: number;
  readonly chunk: number;
  readonly srcOffset: number;
  readonly dstOffset: number;
}

export function copyBlock(
  src: Operand,
  dst: Operand,
  srcLength: number,
  dstLength: number,
  b: Block,
  limits: GpuLimits,
  node: string,
): Dispatch {
  const p = program('copy-block', limits, (s) => {
    const from = s.tensor('src', 2);
    const to = s.tensor('dst', 2, 'read_write');
    const chunk = s.param('chunk', 'u32');
    s.main(`
  let i = ${s.flatId};
  if (i >= ${from.dim(0)} * ${chunk}) { return; }
  ${unravelBy('i', [chunk, '1u'], ['row', 'col'])}
  let v = ${from.at('row', `${s.param('src_offset', 'u32')} + col`)};
  ${to.set(to.offset('row', `${s.param('dst_offset', 'u32')} + col`), 'v')}`);
  });
  return {
    program: p,
    operands: [src, dst],
    shapes: { src: [b.rows, srcLength / b.rows], dst: [b.rows, dstLength / b.rows] },
    scalars: { chunk: b.chunk, src_offset: b.srcOffset, dst_offset: b.dstOffset },
    workgroups: perElement(b.rows * b.chunk, limits, node),
  };
}
