/**
 * Convolution (assembly/conv.ts, assembly/winograd.ts). A 3x3 stride-1 conv with enough
 * channels runs as Winograd F(2x2, 3x3), or F(4x4, 3x3) on maps where that needs fewer products
 * outside training (winogradTile): its weight is transformed and packed once at compile time as 16 (36) GEMM A
 * operands (winograd.ts). Any other conv runs as im2col + GEMM per image and
 * channel group: each group's weight [Cout/groups, Cin/groups * kh * kw] is packed once as the
 * A operand; im2col packs CONV_COLS output positions at a time into scratch.
 */
import { bool, int, ints } from '@kiln/core';
import {
  CONV_COLS,
  CONV_IM2COL,
  CONV_WINOGRAD,
  CONV_WINOGRAD4,
  TASK_CONV,
  WINOGRAD_MIN_CHANNELS,
  packedABytes,
  packedBBytes,
  winogradRows,
  winogradScratchBytes,
} from '../layout.js';
import type { Call, Constant, ParamLookup } from './types.js';
import type { WasmKernel } from './types.js';
import { winogradApplies, winogradTile, winogradWeights } from './winograd.js';

/** The packed weight: per group (im2col) or per Winograd element ((tile + 2)^2 matrices). */
function packedWeight(
  weight: Float32Array,
  cout: number,
  groups: number,
  tile: 2 | 4 | undefined,
): Constant {
  const depth = weight.length / cout;
  if (tile) {
    const bytes = packedABytes(cout, depth / 9);
    const count = (tile + 2) ** 2;
    return {
      bytes: bytes * count,
      stageBytes: (weight.length / 9) * 4,
      write(m, _memory, dst, stage) {
        const cin = depth / 9;
        const u = winogradWeights(weight, cout, cin, tile);
        for (let xi = 0; xi < count; xi++) {
          const staged = stage(u.subarray(xi * cout * cin, (xi + 1) * cout * cin));
          m.packA(staged, cin, 1, cout, cin, dst + xi * bytes);
        }
      },
    };
  }
  const opg = cout / groups;
  const groupBytes = packedABytes(opg, depth);
  return {
    bytes: groupBytes * groups,
    stageBytes: opg * depth * 4,
    write(m, _memory, dst, stage) {
      for (let g = 0; g < groups; g++) {
        const staged = stage(weight.subarray(g * opg * depth, (g + 1) * opg * depth));
        m.packA(staged, depth, 1, opg, depth, dst + g * groupBytes);
      }
    },
  };
}

function biasConstant(bias: Float32Array): Constant {
  return {
    bytes: bias.length * 4,
    write: (_m, memory, dst) => new Float32Array(memory.buffer, dst, bias.length).set(bias),
  };
}

export const conv: WasmKernel = {
  op: 'conv',
  bind(node, param: ParamLookup, _paramShape, site) {
    const a = node.attrs;
    const cout = int(a, 'channels');
    const groups = int(a, 'groups');
    const kernel = ints(a, 'kernel');
    const [kh, kw] = kernel as [number, number];
    const [sh, sw] = ints(a, 'stride') as [number, number];
    const [pt, pl] = ints(a, 'pad') as [number, number, number, number];
    const [dh, dw] = ints(a, 'dilation') as [number, number];
    const weight = param('weight');
    const depth = weight.length / cout;
    const cin = (depth / (kh * kw)) * groups;
    const applies = winogradApplies(
      kernel,
      [sh, sw],
      [dh, dw],
      groups,
      cin,
      cout,
      WINOGRAD_MIN_CHANNELS,
    );
    const tile = applies ? winogradTile(site) : undefined;
    const constants: Constant[] = [packedWeight(weight, cout, groups, tile)];
    const bias = bool(a, 'bias') ? param('bias') : undefined;
    if (bias) constants.push(biasConstant(bias));
    const args = ({ inputs, inShapes, out, outShape, constants: at, scratch, stride }: Call) => {
      const [n, , h, w] = inShapes[0]! as [number, number, number, number];
      const [, , oh, ow] = outShape as [number, number, number, number];
      const b = bias ? at[1]! : 0;
      const geometry = [kh, kw, sh, sw, pt, pl, dh, dw, oh, ow] as const;
      const method = tile
        ? [tile === 4 ? CONV_WINOGRAD4 : CONV_WINOGRAD, winogradRows(ow, tile)]
        : [CONV_IM2COL, 0];
      // The last word is the counter through which threads claim blocks: 0 at the start.
      const shape = [n, cin, h, w, cout, groups];
      return [inputs[0]!, at[0]!, b, out, scratch, stride, ...shape, ...geometry, ...method, 0];
    };
    return {
      method: tile ? `winograd F(${tile}x${tile}, 3x3)` : 'im2col + GEMM',
      constants,
      scratchBytes: (_inShapes, outShape) =>
        tile
          ? winogradScratchBytes(cin, cout, outShape[3]!, tile)
          : packedBBytes(depth, Math.min(CONV_COLS, outShape[2]! * outShape[3]!)),
      task: (call) => ({
        op: TASK_CONV,
        args: args(call),
        macs: call.inShapes[0]![0]! * cout * depth * call.outShape[2]! * call.outShape[3]!,
      }),
    };
  },
};
