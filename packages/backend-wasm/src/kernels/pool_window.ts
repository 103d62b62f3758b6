/** Pool window attributes in the order the module's pool functions take them. */
import { ints } from '@kiln/core';
import type { Node } from '@kiln/core';

export interface PoolWindow {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  /** [top, left, bottom, right] */
  readonly pad: readonly [number, number, number, number];
}

// ceil_mode only changes the output size, which shape inference has already fixed.
export function poolWindow(node: Node): PoolWindow {
  return {
    kernel: ints(node.attrs, 'kernel') as [number, number],
    stride: ints(node.attrs, 'stride') as [number, number],
    pad: ints(node.attrs, 'pad') as [number, number, number, number],
  };
}
