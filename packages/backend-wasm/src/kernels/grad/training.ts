/**
 * Training-mode kernels of dropout and batchnorm, and batchnorm's backward kernels
 * (assembly/grad/training.ts). Batchnorm's tensors are [N, C] or [N, C, H, W], seen as
 * [N, C, inner]; the weights a kernel reads (γ, β, the running statistics) are constants,
 * rewritten when the training loop updates them.
 */
import { float } from '@kiln/core';
import type { Constant, Dims, WasmKernel } from '../types.js';
import { sizeOf } from '../types.js';

/** x ⊙ mask / (1 − p); the mask is the loop's seeded 0/1 draw. */
export const dropoutMask: WasmKernel = {
  op: 'dropout_mask',
  bind(node) {
    const scale = 1 / (1 - float(node.attrs, 'p'));
    return {
      run(k, { inputs, out, outShape }) {
        k.dropoutMask(inputs[0]!, inputs[1]!, out, sizeOf(outShape), scale);
      },
    };
  },
};

/** [n, c, inner] of a batchnorm tensor. */
function channels(shape: Dims): [number, number, number] {
  return [shape[0]!, shape[1]!, shape.length === 4 ? shape[2]! * shape[3]! : 1];
}

/** A constant holding `values` as they are (float32). */
function copied(values: Float32Array): Constant {
  return {
    bytes: values.length * 4,
    write: (_k, memory, dst) => new Float32Array(memory.buffer, dst, values.length).set(values),
  };
}

export const batchnormTrain: WasmKernel = {
  op: 'batchnorm_train',
  bind(node, param) {
    const eps = float(node.attrs, 'eps');
    return {
      constants: [copied(param('weight')), copied(param('bias'))],
      run(k, { inputs, inShapes, out, constants: [gamma, beta] }) {
        k.batchnormTrain(inputs[0]!, gamma!, beta!, out, ...channels(inShapes[0]!), eps);
      },
    };
  },
};

/** [2, C]: the running mean and variance after this batch. */
export const batchnormStats: WasmKernel = {
  op: 'batchnorm_stats',
  bind(node, param) {
    const momentum = float(node.attrs, 'momentum');
    const mean = param('running_mean');
    const running = new Float32Array(2 * mean.length);
    running.set(mean);
    running.set(param('running_var'), mean.length);
    return {
      constants: [copied(running)],
      run(k, { inputs, inShapes, out, constants: [at] }) {
        k.batchnormStats(inputs[0]!, at!, out, ...channels(inShapes[0]!), momentum);
      },
    };
  },
};

/** Inputs (dy, x): Σ dy·x̂ per channel. */
export const batchnormGradWeight: WasmKernel = {
  op: 'batchnorm_grad_weight',
  bind(node) {
    const eps = float(node.attrs, 'eps');
    return {
      run(k, { inputs, inShapes, out }) {
        k.batchnormGradWeight(inputs[0]!, inputs[1]!, out, ...channels(inShapes[1]!), eps);
      },
    };
  },
};

/** Inputs (dy, x); γ is read from the forward node (`of`). */
export const batchnormGradInput: WasmKernel = {
  op: 'batchnorm_grad_input',
  bind(node, param) {
    const eps = float(node.attrs, 'eps');
    return {
      constants: [copied(param('weight'))],
      run(k, { inputs, inShapes, out, constants: [gamma] }) {
        const [dy, x] = inputs as [number, number];
        k.batchnormGradInput(dy, x, gamma!, out, ...channels(inShapes[1]!), eps);
      },
    };
  },
};
