/**
 * maxpool -> MaxPool, avgpool -> AveragePool, global_avgpool -> GlobalAveragePool.
 *
 * ceil_mode: Kiln follows PyTorch, where a ceil-mode window that would start in the right padding
 * is dropped. onnxruntime 1.30 drops it too (and, like PyTorch, never counts the part of a window
 * hanging past the padded input in an average), but ONNX's own shape formula before opset 19
 * keeps it, so the checker would infer one more row than Kiln. So ceil_mode is written only where
 * it adds a row the floor formula lacks and no axis drops one; where ceil and floor agree, the
 * node is written with ceil_mode=0, which every reader sizes alike. A node that needs the ceil
 * row on one axis and drops one on the other has no ONNX spelling and is refused.
 */
import type { Node, Shape } from '@kiln/core';
import { bool, ints, windowOutput } from '@kiln/core';
import { nodeRefused } from '../errors.js';
import { intAttr, intsAttr } from '../attrs.js';
import type { LowerOp, Lowering } from './types.js';

/** ONNX's ceil formula, without PyTorch's drop rule. */
function onnxCeilOutput(size: number, k: number, s: number, before: number, after: number) {
  return Math.ceil((size + before + after - k) / s) + 1;
}

function ceilMode(node: Node, x: Shape, y: Shape): number {
  if (!bool(node.attrs, 'ceil_mode')) return 0;
  const kernel = ints(node.attrs, 'kernel');
  const stride = ints(node.attrs, 'stride');
  const [pt, pl, pb, pr] = ints(node.attrs, 'pad') as [number, number, number, number];
  const pads: [number, number][] = [
    [pt, pb],
    [pl, pr],
  ];
  let needsCeil = false;
  let drops = false;
  for (let a = 0; a < 2; a++) {
    const size = x[a + 2]!;
    // A symbolic size: the runtime applies the same rule as Kiln when the size is bound.
    if (typeof size !== 'number') return 1;
    const [before, after] = pads[a]!;
    const k = kernel[a]!;
    const s = stride[a]!;
    const floor = windowOutput(size, k, s, before, after, 1, false);
    if (y[a + 2] !== floor) needsCeil = true;
    if (y[a + 2] !== onnxCeilOutput(size, k, s, before, after)) drops = true;
  }
  if (needsCeil && drops) {
    throw nodeRefused(
      'onnx/shape',
      node,
      `\`${node.name}\` (${node.op}, ceil_mode) keeps a partial window on one axis and drops a window starting in the padding on the other; ONNX's ceil_mode cannot express both`,
    );
  }
  return needsCeil ? 1 : 0;
}

function windowAttrs(node: Node, ctx: Lowering) {
  const x = ctx.shapes.get(node.inputs[0]!)!;
  const y = ctx.shapes.get(node.name)!;
  return [
    intsAttr('kernel_shape', ints(node.attrs, 'kernel')),
    intsAttr('strides', ints(node.attrs, 'stride')),
    intsAttr('pads', ints(node.attrs, 'pad')),
    intAttr('ceil_mode', ceilMode(node, x, y)),
  ];
}

export const maxpool: LowerOp = (node, ctx) => {
  ctx.emit('MaxPool', [node.inputs[0]!], node.name, windowAttrs(node, ctx));
};

export const avgpool: LowerOp = (node, ctx) => {
  ctx.emit('AveragePool', [node.inputs[0]!], node.name, [
    ...windowAttrs(node, ctx),
    intAttr('count_include_pad', bool(node.attrs, 'count_include_pad') ? 1 : 0),
  ]);
};

export const globalAvgpool: LowerOp = (node, ctx) => {
  ctx.emit('GlobalAveragePool', [node.inputs[0]!], node.name);
};
