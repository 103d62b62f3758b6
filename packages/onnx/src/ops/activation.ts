/**
 * Elementwise activations and softmax. Softmax is written with opset 13's meaning (normalise
 * along the one given axis), the same as Kiln's; opset 11's coerce-to-2-D form is below the
 * lowest opset Kiln writes. Dropout is the identity at inference: it is written as Identity so
 * the tensor keeps its name for anyone reading the graph.
 */
import { float, int } from '@kiln/core';
import { floatAttr, intAttr } from '../attrs.js';
import type { LowerOp } from './types.js';

const unary =
  (opType: string): LowerOp =>
  (node, ctx) =>
    ctx.emit(opType, [node.inputs[0]!], node.name);

export const relu = unary('Relu');
export const sigmoid = unary('Sigmoid');
export const tanh = unary('Tanh');
export const dropout = unary('Identity');

export const leakyRelu: LowerOp = (node, ctx) => {
  ctx.emit('LeakyRelu', [node.inputs[0]!], node.name, [
    floatAttr('alpha', float(node.attrs, 'alpha')),
  ]);
};

export const softmax: LowerOp = (node, ctx) => {
  ctx.emit('Softmax', [node.inputs[0]!], node.name, [intAttr('axis', int(node.attrs, 'axis'))]);
};
