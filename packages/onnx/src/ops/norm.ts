/**
 * batchnorm -> BatchNormalization in inference form: it normalises with the running statistics
 * (training_mode stays 0, its default from opset 14), as Kiln's CPU backend does at inference.
 */
import { float } from '@kiln/core';
import { floatAttr } from '../attrs.js';
import type { LowerOp } from './types.js';
import { param } from './types.js';

export const batchnorm: LowerOp = (node, ctx) => {
  const inputs = [
    node.inputs[0]!,
    param(node, 'weight'),
    param(node, 'bias'),
    param(node, 'running_mean'),
    param(node, 'running_var'),
  ];
  ctx.emit('BatchNormalization', inputs, node.name, [
    floatAttr('epsilon', float(node.attrs, 'eps')),
    floatAttr('momentum', float(node.attrs, 'momentum')),
  ]);
};
