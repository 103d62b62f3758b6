/** Elementwise sum of n same-shape inputs, accumulated in float64 then rounded once. */
import type { Kernel } from './types.js';

export const add: Kernel = {
  op: 'add',
  bind: () => ({
    run(inputs, _inShapes, out) {
      const first = inputs[0]!;
      if (inputs.length === 2) {
        const second = inputs[1]!;
        for (let i = 0; i < out.length; i++) out[i] = first[i]! + second[i]!;
        return;
      }
      for (let i = 0; i < out.length; i++) {
        let s = first[i]!;
        for (let k = 1; k < inputs.length; k++) s += inputs[k]![i]!;
        out[i] = s;
      }
    },
  }),
};
