/**
 * The quick end-to-end check CI runs: train examples/mlp-fashion.kiln on the committed
 * Fashion-MNIST subset (2,000 training and 500 test images) for two epochs. The loss must fall
 * and test accuracy must clear 0.70, far above chance (0.10) and far above what a broken
 * gradient reaches. The documented full-data accuracies are in BENCHMARKS.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '@kiln/backend-cpu';
import { loadDataDir, readTrainConfig, train } from '@kiln/train';
import { model } from './gradcheck.js';

const root = new URL('../../', import.meta.url);
const data = loadDataDir(new URL('test/train/data/fashion-mnist-2k', root).pathname);

describe('training on the Fashion-MNIST subset', () => {
  it('the subset loads as the full set would', () => {
    expect(data.train.count).toBe(2000);
    expect(data.test.count).toBe(500);
    expect(data.train.sampleShape).toEqual([28, 28]);
    expect(Math.max(...data.train.labels)).toBe(9);
  });

  it('mlp-fashion: loss falls and accuracy clears 0.70 in two epochs', async () => {
    const graph = model(readFileSync(new URL('examples/mlp-fashion.kiln', root), 'utf8'));
    const config = readTrainConfig(graph, { epochs: 2 });
    const losses: number[] = [];
    const result = await train({
      backend: cpuBackend,
      graph,
      config,
      data,
      onBatch: (p) => {
        if (p.batch === 1 && p.epoch === 1) losses.push(p.loss);
      },
    });
    const [first, second] = result.epochs;
    expect(losses[0]).toBeGreaterThan(1.8); // about ln 10 at the start
    expect(first!.trainLoss).toBeLessThan(losses[0]!);
    expect(second!.trainLoss).toBeLessThan(first!.trainLoss);
    expect(second!.test.loss).toBeLessThan(0.9);
    expect(second!.test.accuracy).toBeGreaterThan(0.7);
  }, 60_000);
});
