/**
 * Convolution as im2col + GEMM per image and channel group (assembly/conv.ts). Each group's
 * weight [Cout/groups, Cin/groups * kh * kw] is packed once at compile time as the A operand;
 * im2col packs CONV_COLS output positions at a time into scratch.
 */
import { bool, int, ints } from '@kiln/core';
import { CONV_COLS, TASK_CONV, packedABytes, packedBBytes } from '../layout.js';
import type { Call, Constant, WasmKernel } from './types.js';

export const conv: WasmKernel = {
  op: 'conv',
  bind(node, param) {
    const a = node.attrs;
    const cout = int(a, 'channels');
    const groups = int(a, 'groups');
    const [kh, kw] = ints(a, 'kernel') as [number, number];
    const [sh, sw] = ints(a, 'stride') as [number, number];
    const [pt, pl] = ints(a, 'pad') as [number, number, number, number];
    const [dh, dw] = ints(a, 'dilation') as [number, number];
    const weight = param('weight');
    const opg = cout / groups;
    const depth = weight.length / cout;
    const groupBytes = packedABytes(opg, depth);
    const constants: Constant[] = [
      {
        bytes: groupBytes * groups,
        stageBytes: opg * depth * 4,
        write(m, _memory, dst, stage) {
          for (let g = 0; g < groups; g++) {
            const staged = stage(weight.subarray(g * opg * depth, (g + 1) * opg * depth));
            m.packA(staged, depth, 1, opg, depth, dst + g * groupBytes);
          }
        },
      },
    ];
    const bias = bool(a, 'bias') ? param('bias') : undefined;
    if (bias) {
      constants.push({
        bytes: cout * 4,
        write: (_m, memory, dst) => new Float32Array(memory.buffer, dst, cout).set(bias),
      });
    }
    const args = ({ inputs, inShapes, out, outShape, constants: at, scratch, stride }: Call) => {
      const [n, cin, h, w] = inShapes[0]! as [number, number, number, number];
      const [, , oh, ow] = outShape as [number, number, number, number];
      const b = bias ? at[1]! : 0;
      const geometry = [kh, kw, sh, sw, pt, pl, dh, dw, oh, ow] as const;
      return [inputs[0]!, at[0]!, b, out, scratch, stride, n, cin, h, w, cout, groups, ...geometry];
    };
    return {
      constants,
      scratchBytes: (_inShapes, outShape) =>
        packedBBytes(depth, Math.min(CONV_COLS, outShape[2]! * outShape[3]!)),
      task: (call) => ({
        op: TASK_CONV,
        args: args(call),
        macs: call.inShapes[0]![0]! * cout * depth * call.outShape[2]! * call.outShape[3]!,
      }),
    };
  },
};
