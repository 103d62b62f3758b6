/**
 * `kiln train --backend wasm` end to end on the committed Fashion-MNIST subset: the loss falls,
 * and the weights match a CPU run of the same seed (the same seeded initialisation, shuffle and
 * dropout masks), and two threads give the one-thread weights exactly.
 *
 * Tolerance: per weight tensor, max |wasm − cpu| ≤ 1e-5 · max(1, max |cpu|). Each step's
 * gradients differ only by float32 rounding (the WASM GEMM sums in f32 lanes, the CPU's in
 * float64; about 1e-7 relative, measured), and SGD with momentum carries such differences
 * forward linearly over a few steps: measured differences stay near 1e-7, while a wrong kernel
 * moves weights by lr × gradient, 1e-3 or more, after one step. Both runs use SGD: Adam divides
 * each gradient by its running magnitude, so on weights whose gradient is rounding noise (a dead
 * ReLU's inputs) it turns noise into whole lr-sized steps, and the runs part further.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../packages/core/src/index.js';
import { decodeSafetensors } from '../../packages/core/src/index.js';
import { example, kiln, root, scratch } from './kiln.js';

const subset = join(root, 'test/train/data/fashion-mnist-2k');

interface Trained {
  readonly weights: Map<string, Tensor>;
  /** Train loss per epoch, as printed. */
  readonly losses: number[];
  readonly stderr: string;
}

function trainOn(model: string, args: string[]): Trained {
  const out = join(scratch(), 'w.safetensors');
  const r = kiln(['train', example(model), '--data', subset, ...args, '-o', out]);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code, r.stderr).toBe(0);
  const losses = [...r.stdout.matchAll(/^epoch \d+\/\d+: train loss ([\d.]+)/gm)].map((m) =>
    Number(m[1]),
  );
  return { weights: decodeSafetensors(readFileSync(out)), losses, stderr: r.stderr };
}

/** max |a − b| over max(1, max |b|), the worst weight tensor. */
function worstDifference(a: Map<string, Tensor>, b: Map<string, Tensor>): number {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  let worst = 0;
  for (const [name, want] of b) {
    const got = a.get(name)!.data;
    let scale = 1;
    let diff = 0;
    for (let i = 0; i < want.data.length; i++) {
      scale = Math.max(scale, Math.abs(want.data[i]!));
      diff = Math.max(diff, Math.abs(got[i]! - want.data[i]!));
    }
    worst = Math.max(worst, diff / scale);
  }
  return worst;
}

describe('kiln train --backend wasm', () => {
  it('trains the MLP: the loss falls and the weights match a cpu run of the same seed', () => {
    const flags = ['--epochs', '2', '--limit', '256'];
    const wasm = trainOn('mlp-fashion.kiln', [...flags, '--backend', 'wasm']);
    expect(wasm.stderr).toContain('backend wasm');
    expect(wasm.losses).toHaveLength(2);
    expect(wasm.losses[1]!).toBeLessThan(wasm.losses[0]!);
    const cpu = trainOn('mlp-fashion.kiln', flags);
    expect(worstDifference(wasm.weights, cpu.weights)).toBeLessThanOrEqual(1e-5);
    wasm.losses.forEach((loss, i) => expect(Math.abs(loss - cpu.losses[i]!)).toBeLessThan(1e-3));
  });

  it('trains the CNN (conv, max pooling) to the weights of a cpu run', () => {
    const flags = ['--epochs', '1', '--limit', '128', '--optimizer', 'sgd', '--lr', '0.05'];
    const wasm = trainOn('cnn-fashion.kiln', [...flags, '--backend', 'wasm']);
    const cpu = trainOn('cnn-fashion.kiln', flags);
    expect(worstDifference(wasm.weights, cpu.weights)).toBeLessThanOrEqual(1e-5);
  });

  it('gives the same weights on two threads as on one', () => {
    const flags = ['--epochs', '1', '--limit', '256', '--backend', 'wasm'];
    const one = trainOn('mlp-fashion.kiln', flags);
    const two = trainOn('mlp-fashion.kiln', [...flags, '--threads', '2']);
    for (const [name, t] of one.weights) expect(two.weights.get(name)!.data, name).toEqual(t.data);
  });

  it('refuses --threads on the cpu backend', () => {
    const out = join(scratch(), 'w.safetensors');
    const r = kiln([
      'train',
      example('mlp-fashion.kiln'),
      '--data',
      subset,
      '--threads',
      '2',
      '-o',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the cpu backend runs on one thread; drop --threads');
  });
});
