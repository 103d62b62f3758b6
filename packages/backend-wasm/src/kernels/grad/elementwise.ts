/** Shared form of the two-input, same-shape backward kernels: out[i] = f(dy[i], t[i]). */
import type { Node } from '@kiln/core';
import type { KilnExports } from '../../exports.js';
import type { WasmKernel } from '../types.js';
import { sizeOf } from '../types.js';

type Apply = (k: KilnExports, dy: number, t: number, out: number, len: number) => void;

/** `t` is the forward input or output the derivative is written in (see core ops/grad). */
export function pointwiseGrad(op: string, make: (node: Node) => Apply): WasmKernel {
  return {
    op,
    bind(node) {
      const apply = make(node);
      return {
        run: (k, c) => apply(k, c.inputs[0]!, c.inputs[1]!, c.out, sizeOf(c.outShape)),
      };
    },
  };
}
