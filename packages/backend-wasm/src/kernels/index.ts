/**
 * The op table: one kernel file per op, found by the same name as in core and the other
 * backends. The backend's capability table is derived from this list.
 */
import { add } from './add.js';
import { avgpool } from './avgpool.js';
import { batchnorm } from './batchnorm.js';
import { concat } from './concat.js';
import { conv } from './conv.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { gelu } from './gelu.js';
import { gradKernels } from './grad/index.js';
import { globalAvgpool } from './global_avgpool.js';
import { leakyRelu } from './leaky_relu.js';
import { maxpool } from './maxpool.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import { sigmoid } from './sigmoid.js';
import { softmax } from './softmax.js';
import { tanh } from './tanh.js';
import type { WasmKernel } from './types.js';

const all: readonly WasmKernel[] = [
  add,
  avgpool,
  batchnorm,
  concat,
  conv,
  dense,
  dropout,
  flatten,
  gelu,
  globalAvgpool,
  leakyRelu,
  maxpool,
  relu,
  reshape,
  sigmoid,
  softmax,
  tanh,
  // Backward and training-mode ops: a training graph runs like any other graph.
  ...gradKernels,
];

export const kernels: ReadonlyMap<string, WasmKernel> = new Map(all.map((k) => [k.op, k]));
