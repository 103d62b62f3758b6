/**
 * dense -> Gemm and conv -> Conv. Kiln keeps PyTorch's layouts, which are ONNX's too: a dense
 * weight [units, K] is Gemm's B with transB=1 (y = x·Bᵀ + C), a conv weight is
 * [out, in/groups, kh, kw], and Kiln's pad order [top, left, bottom, right] is ONNX's
 * [x1_begin, x2_begin, x1_end, x2_end]. The bias input is left out when the layer has none.
 */
import { bool, int, ints } from '@kiln/core';
import { intAttr, intsAttr, floatAttr } from '../attrs.js';
import type { LowerOp } from './types.js';
import { param } from './types.js';

const withBias = (inputs: string[], hasBias: boolean, bias: string) =>
  hasBias ? [...inputs, bias] : inputs;

export const dense: LowerOp = (node, ctx) => {
  const inputs = withBias(
    [node.inputs[0]!, param(node, 'weight')],
    bool(node.attrs, 'bias'),
    param(node, 'bias'),
  );
  ctx.emit('Gemm', inputs, node.name, [
    floatAttr('alpha', 1),
    floatAttr('beta', 1),
    intAttr('transA', 0),
    intAttr('transB', 1),
  ]);
};

export const conv: LowerOp = (node, ctx) => {
  const inputs = withBias(
    [node.inputs[0]!, param(node, 'weight')],
    bool(node.attrs, 'bias'),
    param(node, 'bias'),
  );
  ctx.emit('Conv', inputs, node.name, [
    intsAttr('kernel_shape', ints(node.attrs, 'kernel')),
    intsAttr('strides', ints(node.attrs, 'stride')),
    intsAttr('pads', ints(node.attrs, 'pad')),
    intsAttr('dilations', ints(node.attrs, 'dilation')),
    intAttr('group', int(node.attrs, 'groups')),
  ]);
};
