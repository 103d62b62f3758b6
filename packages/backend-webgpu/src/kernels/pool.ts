/**
 * The shared form of max and average pooling: one invocation per output element walks its
 * window (wgsl/window.ts cuts it as PyTorch does) and reduces it with the op's WGSL.
 */
import type { Node } from '@kiln/core';
import type { ShaderBuilder, TensorVar } from '../wgsl/builder.js';
import { program } from '../wgsl/program.js';
import { poolScalars, poolWindow } from '../wgsl/window.js';
import { perElement } from './grid.js';
import type { BoundKernel, Dispatch, StepCall } from './types.js';
import { input, output, sizeOf } from './types.js';

export interface PoolReduce {
  readonly key: string;
  /** Statements before the window loop (declare the accumulator). */
  readonly start: string;
  /** Statements per real input value `v`. */
  readonly each: string;
  /** The f32 result, after the loop. */
  readonly result: (s: ShaderBuilder) => string;
}

export function poolWindowLoop(s: ShaderBuilder, x: TensorVar, y: TensorVar, body: string): string {
  return `
  ${y.unravel('i', ['n', 'c', 'oy', 'ox'])}
  ${poolWindow(s, 'h', 'oy', x.dim(2))}
  ${poolWindow(s, 'w', 'ox', x.dim(3))}
  for (var wy = win_h_start; wy < win_h_end; wy++) {
    for (var wx = win_w_start; wx < win_w_end; wx++) {
      let v = ${x.at('n', 'c', 'u32(wy)', 'u32(wx)')};
      ${body}
    }
  }`;
}

export function poolKernel(
  node: Node,
  reduce: PoolReduce,
  scalars: Record<string, number> = {},
): BoundKernel {
  return {
    plan({ inShapes, outShape, limits }: StepCall) {
      const p = program(`pool:${reduce.key}`, limits, (s) => {
        const x = s.tensor('x', 4);
        const y = s.tensor('y', 4, 'read_write');
        s.main(`
  let i = ${s.flatId};
  if (i >= ${y.count}) { return; }
  ${reduce.start}
  ${poolWindowLoop(s, x, y, reduce.each)}
  ${y.set('i', reduce.result(s))}`);
      });
      const dispatch: Dispatch = {
        program: p,
        operands: [input(0), output],
        shapes: { x: inShapes[0]!, y: outShape },
        scalars: { ...poolScalars(node.attrs), ...scalars },
        workgroups: perElement(sizeOf(outShape), limits, node.name),
      };
      return { dispatches: [dispatch] };
    },
  };
}
