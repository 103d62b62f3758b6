/**
 * Optimizers, in PyTorch's formulations so hyperparameters carry over:
 * - SGD: g ← ∇ + λw; v ← μv + g (v starts as g); w ← w − η·v.
 * - Adam: g ← ∇ + λw; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
 *   w ← w − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
 * State (velocities, moments, the step count) is kept per parameter as tensors, so a
 * checkpoint can store it and a resumed run continues exactly.
 */
import type { OptimizerConfig } from './config.js';

export interface Optimizer {
  /** Updates `param` in place from `grad`. */
  update(name: string, param: Float32Array, grad: Float32Array): void;
  /** Call once per step, before the updates of that step. */
  beginStep(): void;
  /** State tensors by `<param>/<slot>`, and the step count. */
  state(): { readonly slots: ReadonlyMap<string, Float32Array>; readonly steps: number };
  load(slots: ReadonlyMap<string, Float32Array>, steps: number): void;
}

export function createOptimizer(config: OptimizerConfig): Optimizer {
  const slots = new Map<string, Float32Array>();
  let steps = 0;
  const slot = (name: string, n: number): [Float32Array, boolean] => {
    const have = slots.get(name);
    if (have) return [have, false];
    const fresh = new Float32Array(n);
    slots.set(name, fresh);
    return [fresh, true];
  };
  const { lr, weightDecay: wd } = config;
  const sgd = (name: string, w: Float32Array, grad: Float32Array) => {
    const mu = config.momentum;
    if (mu === 0) {
      for (let i = 0; i < w.length; i++) w[i]! -= lr * (grad[i]! + wd * w[i]!);
      return;
    }
    const [v, first] = slot(`${name}/velocity`, w.length);
    for (let i = 0; i < w.length; i++) {
      const g = grad[i]! + wd * w[i]!;
      v[i] = first ? g : mu * v[i]! + g;
      w[i]! -= lr * v[i]!;
    }
  };
  const adam = (name: string, w: Float32Array, grad: Float32Array) => {
    const { beta1, beta2, eps } = config;
    const [m] = slot(`${name}/m`, w.length);
    const [v] = slot(`${name}/v`, w.length);
    const c1 = 1 - beta1 ** steps;
    const c2 = 1 - beta2 ** steps;
    for (let i = 0; i < w.length; i++) {
      const g = grad[i]! + wd * w[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      w[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
    }
  };
  return {
    beginStep: () => {
      steps++;
    },
    update: config.kind === 'adam' ? adam : sgd,
    state: () => ({ slots, steps }),
    load(from, count) {
      slots.clear();
      for (const [k, v] of from) slots.set(k, v.slice());
      steps = count;
    },
  };
}
