/** Shared form of the two-input, same-shape backward kernels: out[i] = f(dy[i], t[i]). */
import type { Node } from '@kiln/core';
import type { Kernel } from '../types.js';

/** `t` is the forward input or output the derivative is written in (see core ops/grad). */
export function pointwiseGrad(
  op: string,
  make: (node: Node) => (dy: number, t: number) => number,
): Kernel {
  return {
    op,
    bind(node) {
      const f = make(node);
      return {
        run([dy, t], _inShapes, out) {
          const g = dy!;
          const s = t!;
          for (let i = 0; i < out.length; i++) out[i] = f(g[i]!, s[i]!);
        },
      };
    },
  };
}
