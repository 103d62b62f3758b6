/**
 * Inverted dropout: in training, zero each element with probability p and scale the rest by
 * 1 / (1 - p); in inference, the identity.
 */
import { unaryOp } from './common.js';
import type { OpDef } from './schema.js';

export const dropout: OpDef = {
  ...unaryOp(
    'dropout',
    'inverted dropout (identity at inference)',
    { p: { kind: 'float', min: 0, max: 0.999999, default: 0.5, doc: 'probability of dropping' } },
    ['p'],
    'regularization',
  ),
  // Training runs `dropout_mask` with a seeded mask the loop feeds as `<node>@mask`; that op is
  // linear in x, so it is also its own gradient (ops/grad/training.ts).
  trainingForm: (node, shape) => {
    const mask = `${node.name}@mask`;
    return {
      node: { ...node, op: 'dropout_mask', inputs: [node.inputs[0]!, mask] },
      extraInputs: [{ name: mask, shape }],
      extraNodes: [],
    };
  },
};
