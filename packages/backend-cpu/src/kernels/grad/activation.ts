/**
 * Backward kernels of the activations. Each multiplies the upstream gradient by the local
 * derivative, written in whichever forward tensor core's op definition passes (x or y).
 */
import { float, int, str } from '@kiln/core';
import { erfc } from '../erf.js';
import type { Kernel } from '../types.js';
import { sizeOf } from '../types.js';
import { pointwiseGrad } from './elementwise.js';

// PyTorch's subgradient at 0 is 0 for relu and alpha for leaky relu: both test x > 0.
export const reluGrad = pointwiseGrad('relu_grad', () => (dy, x) => (x > 0 ? dy : 0));

export const leakyReluGrad = pointwiseGrad('leaky_relu_grad', (node) => {
  const alpha = float(node.attrs, 'alpha');
  return (dy, x) => (x > 0 ? dy : alpha * dy);
});

const SQRT_HALF = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const C = Math.sqrt(2 / Math.PI);
const A = 0.044715;

export const geluGrad = pointwiseGrad('gelu_grad', (node) =>
  str(node.attrs, 'approximate') === 'tanh'
    ? (dy, x) => {
        // d/dx ½x(1 + tanh u), u = c(x + a x³): ½(1 + t) + ½x(1 - t²)·c(1 + 3a x²).
        const t = Math.tanh(C * (x + A * x * x * x));
        return dy * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * A * x * x));
      }
    : // d/dx xΦ(x) = Φ(x) + xφ(x).
      (dy, x) => dy * (0.5 * erfc(-x * SQRT_HALF) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x)),
);

export const sigmoidGrad = pointwiseGrad('sigmoid_grad', () => (dy, y) => dy * y * (1 - y));

export const tanhGrad = pointwiseGrad('tanh_grad', () => (dy, y) => dy * (1 - y * y));

/** dx = y ⊙ (dy − Σ_axis dy ⊙ y): the softmax Jacobian diag(y) − y yᵀ applied to dy. */
export const softmaxGrad: Kernel = {
  op: 'softmax_grad',
  bind(node) {
    const raw = int(node.attrs, 'axis');
    return {
      run([dy, y], [shape], out) {
        const g = dy!;
        const s = y!;
        const axis = raw < 0 ? raw + shape!.length : raw;
        const len = shape![axis]!;
        const inner = sizeOf(shape!.slice(axis + 1));
        const outer = sizeOf(shape!.slice(0, axis));
        for (let o = 0; o < outer; o++) {
          for (let i = 0; i < inner; i++) {
            const base = o * len * inner + i;
            let dot = 0;
            for (let a = 0; a < len; a++) dot += g[base + a * inner]! * s[base + a * inner]!;
            for (let a = 0; a < len; a++) {
              const at = base + a * inner;
              out[at] = s[at]! * (g[at]! - dot);
            }
          }
        }
      },
    };
  },
};
