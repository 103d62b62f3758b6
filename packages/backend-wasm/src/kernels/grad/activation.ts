/**
 * Backward kernels of the activations (assembly/grad/activation.ts): the upstream gradient times
 * the local derivative, written in the forward tensor core's op definition passes (x or y).
 */
import { float, int, str } from '@kiln/core';
import type { WasmKernel } from '../types.js';
import { sizeOf } from '../types.js';
import { pointwiseGrad } from './elementwise.js';

export const reluGrad = pointwiseGrad('relu_grad', () => (k, dy, x, out, len) => {
  k.reluGrad(dy, x, out, len);
});

export const leakyReluGrad = pointwiseGrad('leaky_relu_grad', (node) => {
  const alpha = float(node.attrs, 'alpha');
  return (k, dy, x, out, len) => k.leakyReluGrad(dy, x, out, len, alpha);
});

export const geluGrad = pointwiseGrad('gelu_grad', (node) => {
  const approximate = str(node.attrs, 'approximate') === 'tanh' ? 1 : 0;
  return (k, dy, x, out, len) => k.geluGrad(dy, x, out, len, approximate);
});

export const sigmoidGrad = pointwiseGrad('sigmoid_grad', () => (k, dy, y, out, len) => {
  k.sigmoidGrad(dy, y, out, len);
});

export const tanhGrad = pointwiseGrad('tanh_grad', () => (k, dy, y, out, len) => {
  k.tanhGrad(dy, y, out, len);
});

/** Inputs (dy, y), along `axis` of the tensor seen as [outer, len, inner]. */
export const softmaxGrad: WasmKernel = {
  op: 'softmax_grad',
  bind(node) {
    const raw = int(node.attrs, 'axis');
    return {
      run(k, { inputs, inShapes, out }) {
        const shape = inShapes[0]!;
        const axis = raw < 0 ? raw + shape.length : raw;
        const outer = sizeOf(shape.slice(0, axis));
        const inner = sizeOf(shape.slice(axis + 1));
        k.softmaxGrad(inputs[0]!, inputs[1]!, out, outer, shape[axis]!, inner);
      },
    };
  },
};
