/** Shared form of the one-input, same-shape kernels (activations, identities). */
import type { Node } from '@kiln/core';
import type { Kernel } from './types.js';

/** A kernel applying `f` to each element; `f` may depend on the node's attributes. */
export function elementwise(op: string, make: (node: Node) => (x: number) => number): Kernel {
  return {
    op,
    bind(node) {
      const f = make(node);
      return {
        run([x], _inShapes, out) {
          const src = x!;
          for (let i = 0; i < out.length; i++) out[i] = f(src[i]!);
        },
      };
    },
  };
}

/** A kernel whose output holds the input's elements unchanged (flatten, reshape, dropout). */
export function identity(op: string): Kernel {
  return {
    op,
    bind: () => ({
      run([x], _inShapes, out) {
        out.set(x!.subarray(0, out.length));
      },
    }),
  };
}
