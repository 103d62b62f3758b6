import { describe, expect, it } from 'vitest';
import type { OptimizerConfig } from './config.js';
import { createOptimizer } from './optimizers.js';

const base: OptimizerConfig = {
  kind: 'sgd',
  lr: 0.1,
  momentum: 0,
  weightDecay: 0,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
};

/** Runs `steps` updates of one parameter with the gradients given per step. */
function run(config: OptimizerConfig, w0: number[], grads: number[][]): Float32Array {
  const opt = createOptimizer(config);
  const w = Float32Array.from(w0);
  for (const g of grads) {
    opt.beginStep();
    opt.update('p', w, Float32Array.from(g));
  }
  return w;
}

describe('optimizers (PyTorch formulations, computed by hand)', () => {
  it('plain SGD: w - lr g', () => {
    expect([...run(base, [1, -2], [[0.5, -1]])]).toEqual([0.95, -1.9].map(Math.fround));
  });

  it('SGD with momentum: v starts as g, then v = mu v + g', () => {
    // w = 1; g1 = 1: v = 1, w = 0.9; g2 = 0.5: v = 0.9 + 0.5 = 1.4, w = 0.9 - 0.14 = 0.76.
    const w = run({ ...base, momentum: 0.9 }, [1], [[1], [0.5]]);
    expect(w[0]).toBeCloseTo(0.76, 6);
  });

  it('SGD weight decay adds lambda w to the gradient', () => {
    // g = 0 + 0.5 * 2 = 1: w = 2 - 0.1 = 1.9.
    expect(run({ ...base, weightDecay: 0.5 }, [2], [[0]])[0]).toBeCloseTo(1.9, 6);
  });

  it('Adam: the first step moves each weight by lr against the gradient sign', () => {
    const w = run({ ...base, kind: 'adam', lr: 0.01 }, [1, 1], [[3, -0.002]]);
    expect(w[0]).toBeCloseTo(0.99, 6);
    expect(w[1]).toBeCloseTo(1.01, 5);
  });

  it('Adam: second step with bias correction', () => {
    // g1 = 1, g2 = 0: m2 = 0.09, v2 = 0.000999; m̂ = 0.09/0.19, v̂ = 0.000999/0.001999.
    const mHat = 0.09 / (1 - 0.81);
    const vHat = 0.000999 / (1 - 0.999 ** 2);
    const expected = 1 - 0.01 - (0.01 * mHat) / (Math.sqrt(vHat) + 1e-8);
    const w = run({ ...base, kind: 'adam', lr: 0.01 }, [1], [[1], [0]]);
    expect(w[0]).toBeCloseTo(expected, 6);
  });

  it('state round-trips, so a resumed optimizer continues exactly', () => {
    const config = { ...base, kind: 'adam' as const };
    const a = createOptimizer(config);
    const w = Float32Array.from([1, 2]);
    a.beginStep();
    a.update('p', w, Float32Array.from([0.3, -0.2]));
    const b = createOptimizer(config);
    b.load(a.state().slots, a.state().steps);
    const wa = w.slice();
    const wb = w.slice();
    a.beginStep();
    a.update('p', wa, Float32Array.from([0.1, 0.1]));
    b.beginStep();
    b.update('p', wb, Float32Array.from([0.1, 0.1]));
    expect([...wb]).toEqual([...wa]);
  });
});
