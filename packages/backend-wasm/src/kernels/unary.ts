/** Shared form of the one-input kernels whose output has the input's shape. */
import type { Node } from '@kiln/core';
import type { KilnExports } from '../exports.js';
import type { WasmKernel } from './types.js';
import { sizeOf } from './types.js';

type Apply = (k: KilnExports, x: number, out: number, len: number) => void;

/** A kernel calling one module function over all elements; it may read node attributes. */
export function unary(op: string, make: (node: Node) => Apply): WasmKernel {
  return {
    op,
    bind(node) {
      const apply = make(node);
      return { run: (k, c) => apply(k, c.inputs[0]!, c.out, sizeOf(c.outShape)) };
    },
  };
}

/** A kernel whose output holds the input's elements in the same order. */
export function identity(op: string): WasmKernel {
  return unary(op, () => (k, x, out, len) => k.copy(x, out, len));
}
