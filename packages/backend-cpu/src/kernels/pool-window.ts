/**
 * Window geometry shared by maxpool and avgpool, per PyTorch: a window starts at
 * o * stride - padBefore and is cut off at the end of the padded input (which matters in
 * ceil_mode); `padded` is its length inside the padded input (avgpool's count_include_pad
 * divisor), and [start, end) is the part over real input elements.
 */
import { ints } from '@kiln/core';
import type { Node } from '@kiln/core';

export interface Window {
  readonly start: number;
  readonly end: number;
  readonly padded: number;
}

/** Windows along one axis of length `size`, for `count` outputs. */
export function windows(
  size: number,
  count: number,
  kernel: number,
  stride: number,
  padBefore: number,
  padAfter: number,
): Window[] {
  const out: Window[] = [];
  for (let o = 0; o < count; o++) {
    const from = o * stride - padBefore;
    const to = Math.min(from + kernel, size + padAfter);
    out.push({ start: Math.max(from, 0), end: Math.min(to, size), padded: to - from });
  }
  return out;
}

export interface PoolGeometry {
  readonly rows: Window[];
  readonly cols: Window[];
}

// ceil_mode only changes the output size, which shape inference has already fixed.
export function poolGeometry(
  node: Node,
  inShape: readonly number[],
  outShape: readonly number[],
): PoolGeometry {
  const [kh, kw] = ints(node.attrs, 'kernel') as [number, number];
  const [sh, sw] = ints(node.attrs, 'stride') as [number, number];
  const [pt, pl, pb, pr] = ints(node.attrs, 'pad') as [number, number, number, number];
  return {
    rows: windows(inShape[2]!, outShape[2]!, kh, sh, pt, pb),
    cols: windows(inShape[3]!, outShape[3]!, kw, sw, pl, pr),
  };
}
