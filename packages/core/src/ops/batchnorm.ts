/**
 * Batch normalisation over axis 1 of a 2-D [N, C] or 4-D [N, C, H, W] input. Learnable: weight
 * (gamma) and bias (beta); buffers: running_mean and running_var, which are not parameters.
 */
import { formatShape } from '../ir/dims.js';
import { knownChannels, noMacs } from './common.js';
import type { OpDef } from './schema.js';
import { ShapeError } from './schema.js';

export const batchnorm: OpDef = {
  name: 'batchnorm',
  summary: 'batch normalisation over channels',
  category: 'normalization',
  arity: { min: 1, max: 1 },
  positional: [],
  attrs: {
    eps: { kind: 'float', min: 0, default: 1e-5, doc: 'added to the variance' },
    momentum: {
      kind: 'float',
      min: 0,
      max: 1,
      default: 0.1,
      doc: 'running statistics update rate',
    },
  },
  inferShape([x]) {
    if (x!.length !== 2 && x!.length !== 4) {
      throw new ShapeError(`batchnorm expects [N, C] or [N, C, H, W], got ${formatShape(x!)}`);
    }
    knownChannels('batchnorm', x![1]!);
    return x!;
  },
  params([x]) {
    const c = knownChannels('batchnorm', x![1]!);
    const spec = (name: string, learnable: boolean, init: 'zeros' | 'ones') => ({
      name,
      shape: [c],
      learnable,
      init,
      fanIn: 1,
      fanOut: 1,
    });
    return [
      spec('weight', true, 'ones'),
      spec('bias', true, 'zeros'),
      spec('running_mean', false, 'zeros'),
      spec('running_var', false, 'ones'),
    ];
  },
  macs: noMacs,
  // Training normalises with batch statistics and also returns the updated running
  // statistics as `<node>.running@next`; the gradients live in ops/grad/training.ts.
  trainingForm: (node) => ({
    node: { ...node, op: 'batchnorm_train' },
    extraInputs: [],
    extraNodes: [
      {
        name: `${node.name}.running@next`,
        op: 'batchnorm_stats',
        inputs: [node.inputs[0]!],
        attrs: { ...node.attrs, of: node.name },
      },
    ],
  }),
};

/**
 * At inference batchnorm is one affine map per channel, y = scale·x + shift, with
 * scale = weight / sqrt(running_var + eps) and shift = bias - running_mean·scale. Every backend
 * folds its four tensors into this pair once, in float64, at compile time.
 */
export function batchnormAffine(
  eps: number,
  p: (name: 'weight' | 'bias' | 'running_mean' | 'running_var') => ArrayLike<number>,
): { readonly scale: Float64Array; readonly shift: Float64Array } {
  const [gamma, beta, mean, variance] = [
    p('weight'),
    p('bias'),
    p('running_mean'),
    p('running_var'),
  ];
  const scale = new Float64Array(gamma.length);
  const shift = new Float64Array(gamma.length);
  for (let c = 0; c < gamma.length; c++) {
    scale[c] = gamma[c]! / Math.sqrt(variance[c]! + eps);
    shift[c] = beta[c]! - mean[c]! * scale[c]!;
  }
  return { scale, shift };
}
