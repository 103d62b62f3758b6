/**
 * Fully connected: Y[N, units] = X[N, K] . W^T + b. W [units, K] is packed once, at compile
 * time, as the B operand read transposed; X is packed per run into scratch.
 */
import { bool, int } from '@kiln/core';
import { NR, STAGE_BYTES, TASK_DENSE, packedABytes, packedBBytes } from '../layout.js';
import type { Call, Constant, WasmKernel } from './types.js';

export const dense: WasmKernel = {
  op: 'dense',
  bind(node, param) {
    const units = int(node.attrs, 'units');
    const weight = param('weight');
    const k = weight.length / units;
    // Units per staged band: about STAGE_BYTES of W, whole panels.
    const band = Math.max(NR, Math.floor(STAGE_BYTES / 4 / k / NR) * NR);
    const constants: Constant[] = [
      {
        bytes: packedBBytes(k, units),
        stageBytes: Math.min(weight.length, band * k) * 4,
        write(m, _memory, dst, stage) {
          // W's rows are B's columns: stage a band of rows at a time and pack it.
          for (let j = 0; j < units; j += band) {
            const to = Math.min(units, j + band);
            m.packB(stage(weight.subarray(j * k, to * k)), 1, k, k, units, dst, j, to);
          }
        },
      },
    ];
    const bias = bool(node.attrs, 'bias') ? param('bias') : undefined;
    if (bias) {
      constants.push({
        bytes: units * 4,
        write: (_m, memory, dst) => new Float32Array(memory.buffer, dst, units).set(bias),
      });
    }
    const args = ({ inputs, inShapes, out, constants: at, scratch, stride }: Call) => {
      const n = inShapes[0]![0]!;
      // The last word is the counter through which threads claim blocks: 0 at the start.
      return [inputs[0]!, at[0]!, bias ? at[1]! : 0, out, scratch, stride, n, k, units, 0];
    };
    return {
      constants,
      scratchBytes: (inShapes) => packedABytes(inShapes[0]![0]!, k),
      task: (call) => ({
        op: TASK_DENSE,
        args: args(call),
        macs: call.inShapes[0]![0]! * k * units,
      }),
    };
  },
};
