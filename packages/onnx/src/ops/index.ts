/**
 * The op table: every core op and how it is written in ONNX. An op missing here is refused with
 * its node named, never skipped. The lowest opset Kiln writes (13) expresses every op below, so
 * no entry refuses on opset alone today; `opsetTooLow` is there for the first one that will.
 */
import { dropout, leakyRelu, relu, sigmoid, softmax, tanh } from './activation.js';
import { gelu } from './gelu.js';
import { conv, dense } from './linear.js';
import { batchnorm } from './norm.js';
import { avgpool, globalAvgpool, maxpool } from './pool.js';
import { add, concat, flatten, reshape } from './structure.js';
import type { LowerOp } from './types.js';

export const onnxOps: ReadonlyMap<string, LowerOp> = new Map<string, LowerOp>([
  ['dense', dense],
  ['conv', conv],
  ['maxpool', maxpool],
  ['avgpool', avgpool],
  ['global_avgpool', globalAvgpool],
  ['flatten', flatten],
  ['reshape', reshape],
  ['batchnorm', batchnorm],
  ['add', add],
  ['concat', concat],
  ['gelu', gelu],
  ['relu', relu],
  ['sigmoid', sigmoid],
  ['tanh', tanh],
  ['leaky_relu', leakyRelu],
  ['softmax', softmax],
  ['dropout', dropout],
]);

export type { LowerOp, Lowering } from './types.js';
