/**
 * Fully connected: Y[N, units] = X[N, K] . W^T + b. W [units, K] is packed once, at compile
 * time, as the B operand read transposed; X is packed per run into scratch.
 */
import { bool, int } from '@kiln/core';
import { packedABytes, packedBBytes } from '../layout.js';
import type { Constant, WasmKernel } from './types.js';

export const dense: WasmKernel = {
  op: 'dense',
  bind(node, param) {
    const units = int(node.attrs, 'units');
    const weight = param('weight');
    const k = weight.length / units;
    const constants: Constant[] = [
      {
        bytes: packedBBytes(k, units),
        stage: weight,
        write: (m, _memory, dst, staged) => m.packB(staged, 1, k, k, units, dst),
      },
    ];
    const bias = bool(node.attrs, 'bias') ? param('bias') : undefined;
    if (bias) {
      constants.push({
        bytes: units * 4,
        write: (_m, memory, dst) => new Float32Array(memory.buffer, dst, units).set(bias),
      });
    }
    return {
      constants,
      scratchBytes: (inShapes) => packedABytes(inShapes[0]![0]!, k),
      run(m, { inputs, inShapes, out, constants: at, scratch, tile }) {
        const n = inShapes[0]![0]!;
        m.dense(inputs[0]!, at[0]!, bias ? at[1]! : 0, out, scratch, tile, n, k, units);
      },
    };
  },
};
