/**
 * Shape and join ops. flatten -> Flatten(axis=1), which is Kiln's "everything after the batch".
 * reshape -> Reshape with target [0, ...per-sample]: 0 copies the batch from the input, so one
 * file serves every batch size (allowzero stays 0, its default). add -> Add for two inputs, Sum
 * for more (one node, no chain of temporaries). concat -> Concat along the same axis.
 */
import { int, ints } from '@kiln/core';
import { intAttr } from '../attrs.js';
import { int64Tensor } from '../tensor.js';
import type { LowerOp } from './types.js';

export const flatten: LowerOp = (node, ctx) => {
  ctx.emit('Flatten', [node.inputs[0]!], node.name, [intAttr('axis', 1)]);
};

export const reshape: LowerOp = (node, ctx) => {
  const target = ctx.constant(`${node.name}/shape`, (name) =>
    int64Tensor(name, [0, ...ints(node.attrs, 'shape')]),
  );
  ctx.emit('Reshape', [node.inputs[0]!, target], node.name);
};

export const add: LowerOp = (node, ctx) => {
  ctx.emit(node.inputs.length === 2 ? 'Add' : 'Sum', node.inputs, node.name);
};

export const concat: LowerOp = (node, ctx) => {
  ctx.emit('Concat', node.inputs, node.name, [intAttr('axis', int(node.attrs, 'axis'))]);
};
