/**
 * Backward kernels of conv (assembly/grad/conv.ts), per image and channel group through the
 * packed GEMM, output positions in blocks of at most CONV_COLS:
 * - dL/dW = Σ dy_g · C_gᵀ, a block of the column matrix C_g of x written out, then packed
 *   transposed; threads split W's depth columns;
 * - dL/dx = col2im(W_gᵀ · dy_g), W_gᵀ packed (when its weights change) as the A operand;
 *   threads split the (image, group) pairs, whose input gradients never overlap.
 */
import { int, ints } from '@kiln/core';
import type { Node } from '@kiln/core';
import {
  TASK_CONV_GRAD_INPUT,
  TASK_CONV_GRAD_WEIGHT,
  convGradCols,
  packedABytes,
  packedBBytes,
} from '../../layout.js';
import type { Call, Constant, Dims, WasmKernel } from '../types.js';

interface Geometry {
  readonly groups: number;
  readonly kernel: readonly [number, number];
  /** stride, pad top/left, dilation: the order the module takes them in. */
  readonly rest: readonly number[];
}

function geometry(node: Node): Geometry {
  const a = node.attrs;
  const [sh, sw] = ints(a, 'stride') as [number, number];
  const [pt, pl] = ints(a, 'pad') as [number, number, number, number];
  const [dh, dw] = ints(a, 'dilation') as [number, number];
  return {
    groups: int(a, 'groups'),
    kernel: ints(a, 'kernel') as [number, number],
    rest: [sh, sw, pt, pl, dh, dw],
  };
}

/** Depth (cin/groups·kh·kw), opg and area of a step, from dy's and x's shapes. */
function sizes(g: Geometry, dy: Dims, x: Dims) {
  const [kh, kw] = g.kernel;
  return {
    depth: (x[1]! / g.groups) * kh * kw,
    opg: dy[1]! / g.groups,
    area: dy[2]! * dy[3]!,
  };
}

/** The module's arguments after the two operands: out, scratch, then the shapes. */
function args(g: Geometry, op: number, second: number, call: Call) {
  const { inputs, inShapes, out, scratch, stride } = call;
  const [n, cin, h, w] = inShapes[1]! as [number, number, number, number];
  const [, cout, oh, ow] = inShapes[0]! as [number, number, number, number];
  const shapes = [n, cin, h, w, cout, g.groups, ...g.kernel, ...g.rest, oh, ow];
  const { depth, area } = sizes(g, inShapes[0]!, inShapes[1]!);
  return {
    op,
    args: [inputs[0]!, second, out, scratch, stride, ...shapes],
    macs: n * cout * depth * area,
  };
}

export const convGradWeight: WasmKernel = {
  op: 'conv_grad_weight',
  bind(node) {
    const g = geometry(node);
    return {
      scratchBytes: ([dy, x]) => {
        const { depth, opg, area } = sizes(g, dy!, x!);
        const cols = convGradCols(area);
        return packedABytes(opg, cols) + depth * cols * 4 + packedBBytes(cols, depth);
      },
      task: (call) => args(g, TASK_CONV_GRAD_WEIGHT, call.inputs[1]!, call),
    };
  },
};

export const convGradInput: WasmKernel = {
  op: 'conv_grad_input',
  bind(node, param) {
    const g = geometry(node);
    const weight = param('weight');
    const opg = int(node.attrs, 'channels') / g.groups;
    const depth = weight.length / (opg * g.groups);
    const groupBytes = packedABytes(depth, opg);
    const constants: Constant[] = [
      {
        bytes: groupBytes * g.groups,
        stageBytes: opg * depth * 4,
        write(m, _memory, dst, stage) {
          // W_gᵀ [depth, opg]: element (d, o) is W[(g·opg + o)·depth + d].
          for (let i = 0; i < g.groups; i++) {
            const staged = stage(weight.subarray(i * opg * depth, (i + 1) * opg * depth));
            m.packA(staged, 1, depth, depth, opg, dst + i * groupBytes);
          }
        },
      },
    ];
    return {
      constants,
      scratchBytes: ([dy]) => {
        const cols = convGradCols(dy![2]! * dy![3]!);
        return packedBBytes(opg, cols) + depth * cols * 4;
      },
      task: (call) => args(g, TASK_CONV_GRAD_INPUT, call.constants[0]!, call),
    };
  },
};
