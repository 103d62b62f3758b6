/**
 * Loss kernels (output [1], the mean over the batch) and their gradients, inputs (prediction,
 * target) of one shape (assembly/grad/loss.ts). Cross-entropy views them as rows [N, rest].
 */
import type { KilnExports } from '../../exports.js';
import type { WasmKernel } from '../types.js';
import { sizeOf } from '../types.js';

type Rows = (k: KilnExports, y: number, t: number, out: number, n: number, width: number) => void;
type Flat = (k: KilnExports, y: number, t: number, out: number, count: number) => void;

/** A loss op over rows: the batch, then each sample's values. */
function rowwise(op: string, apply: Rows): WasmKernel {
  return {
    op,
    bind: () => ({
      run(k, { inputs, inShapes, out }) {
        const shape = inShapes[0]!;
        apply(k, inputs[0]!, inputs[1]!, out, shape[0]!, sizeOf(shape.slice(1)));
      },
    }),
  };
}

/** A loss op over all elements alike. */
function flat(op: string, apply: Flat): WasmKernel {
  return {
    op,
    bind: () => ({
      run(k, { inputs, inShapes, out }) {
        apply(k, inputs[0]!, inputs[1]!, out, sizeOf(inShapes[0]!));
      },
    }),
  };
}

export const softmaxCrossEntropy = rowwise('softmax_cross_entropy', (k, z, t, out, n, width) =>
  k.softmaxCrossEntropy(z, t, out, n, width),
);
export const softmaxCrossEntropyGrad = rowwise(
  'softmax_cross_entropy_grad',
  (k, z, t, out, n, width) => k.softmaxCrossEntropyGrad(z, t, out, n, width),
);
export const sigmoidBce = flat('sigmoid_bce', (k, z, t, out, count) =>
  k.sigmoidBce(z, t, out, count),
);
export const sigmoidBceGrad = flat('sigmoid_bce_grad', (k, z, t, out, count) =>
  k.sigmoidBceGrad(z, t, out, count),
);
export const mseLoss = flat('mse_loss', (k, y, t, out, count) => k.mseLoss(y, t, out, count));
export const mseLossGrad = flat('mse_loss_grad', (k, y, t, out, count) =>
  k.mseLossGrad(y, t, out, count),
);
