/** The op table: every op Kiln knows, by name. Backends, the DSL and exporters look ops up here. */
import { add } from './add.js';
import { avgpool } from './avgpool.js';
import { batchnorm } from './batchnorm.js';
import { concat } from './concat.js';
import { conv } from './conv.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { gradOps } from './grad/index.js';
import { flatten } from './flatten.js';
import { gelu } from './gelu.js';
import { globalAvgpool } from './global_avgpool.js';
import { input } from './input.js';
import { leakyRelu } from './leaky_relu.js';
import { maxpool } from './maxpool.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import type { OpDef } from './schema.js';
import { sigmoid } from './sigmoid.js';
import { softmax } from './softmax.js';
import { tanh } from './tanh.js';

const all: readonly OpDef[] = [
  input,
  dense,
  conv,
  maxpool,
  avgpool,
  globalAvgpool,
  flatten,
  reshape,
  relu,
  sigmoid,
  tanh,
  leakyRelu,
  gelu,
  softmax,
  dropout,
  batchnorm,
  add,
  concat,
  // Backward and training-mode ops, which reverse-mode differentiation emits.
  ...gradOps,
];

export const ops: ReadonlyMap<string, OpDef> = new Map(all.map((op) => [op.name, op]));

export const opNames: readonly string[] = all.map((op) => op.name);

/** Activations that may follow a layer as a shorthand flag (`conv 64 kernel=3 relu`). */
export const activationNames: readonly string[] = all
  .filter((op) => op.category === 'activation' && op.name !== 'softmax')
  .map((op) => op.name);

export function getOp(name: string): OpDef | undefined {
  return ops.get(name);
}
