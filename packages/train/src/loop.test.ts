/**
 * The training loop on tiny synthetic data: frozen layers stay put, a resumed run ends where an
 * uninterrupted one does, a diverging run stops naming the step and layer, and dropout and
 * batchnorm models train (their masks and running statistics are fed and carried).
 */
import { describe, expect, it } from 'vitest';
import { cpuBackend, createCpuBackend } from '@kiln/backend-cpu';
import type { Graph } from '@kiln/core';
import { compile } from '@kiln/dsl';
import type { Dataset } from './data/dataset.js';
import { NonFiniteError, train } from './loop.js';
import { readTrainConfig } from './config.js';
import type { TrainState } from './checkpoint.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';

function model(text: string): Graph {
  const r = compile(text, 'm.kiln');
  if (!r.graph) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.graph;
}

/** Two Gaussian blobs in 4-D, label = which blob. */
function blobs(count: number, seed: number): Dataset {
  const features = new Float32Array(count * 4);
  const labels = new Int32Array(count);
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  for (let i = 0; i < count; i++) {
    labels[i] = i % 2;
    for (let k = 0; k < 4; k++) features[i * 4 + k] = rand() + (labels[i] ? 1 : -1);
  }
  return { source: 'blobs', count, sampleShape: [4], features, labels };
}

const data = { train: blobs(96, 1), test: blobs(40, 2) };
const mlp = (extra = '', head = 'h = dense 8 relu') =>
  model(
    `model m {\n  input x: f32[N, 4]\n  ${head}\n${extra}  out = dense 2\n  train {\n    loss cross_entropy\n    optimizer sgd momentum=0.9\n    lr 0.05\n    batch_size 16\n    epochs 3\n  }\n}\n`,
  );

describe('training loop', () => {
  it('learns two blobs', async () => {
    const graph = mlp();
    const r = await train({ backend: cpuBackend, graph, config: readTrainConfig(graph), data });
    expect(r.epochs).toHaveLength(3);
    expect(r.epochs[2]!.trainLoss).toBeLessThan(r.epochs[0]!.trainLoss);
    expect(r.epochs[2]!.test.accuracy).toBeGreaterThan(0.9);
  });

  it('gives frozen layers no updates', async () => {
    const graph = mlp('', 'h = freeze dense 8 relu');
    const config = readTrainConfig(graph);
    const r = await train({ backend: cpuBackend, graph, config, data });
    const fresh = await train({
      backend: cpuBackend,
      graph,
      config: { ...config, epochs: 0 },
      data,
    });
    expect([...r.weights.get('h.weight')!.data]).toEqual([...fresh.weights.get('h.weight')!.data]);
    expect([...r.weights.get('out.weight')!.data]).not.toEqual([
      ...fresh.weights.get('out.weight')!.data,
    ]);
  });

  it('resumes from a checkpoint taken mid-epoch to the same weights', async () => {
    const graph = mlp();
    const config = readTrainConfig(graph, { optimizer: 'adam', lr: 0.01 });
    const whole = await train({ backend: cpuBackend, graph, config, data });
    let calls = 0;
    const cut = await train({ backend: cpuBackend, graph, config, data, stop: () => ++calls > 9 });
    expect(cut.stopped).toBe(true);
    expect(cut.state).toMatchObject({ epoch: 1, batch: 3, step: 9 });
    const state: TrainState = decodeCheckpoint('c', encodeCheckpoint(cut.state));
    const rest = await train({ backend: cpuBackend, graph, config, data, resume: state });
    for (const [name, t] of whole.weights) {
      expect([...rest.weights.get(name)!.data], name).toEqual([...t.data]);
    }
  });

  it('stops at a non-finite step, naming the step and the first layer, keeping good weights', async () => {
    const graph = mlp();
    const config = readTrainConfig(graph, { lr: 1e12 });
    const error = await train({ backend: cpuBackend, graph, config, data }).catch((e) => e);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(error.message).toMatch(/^step \d+ \(epoch 1, batch \d+\): the loss is (NaN|Infinity); /);
    expect(error.message).toMatch(/first appears in layer `(h|h_relu|out)`/);
    const good = (error as NonFiniteError).lastGood;
    for (const t of good.weights.values()) expect(t.data.every(Number.isFinite)).toBe(true);
  });

  it('trains with dropout and batchnorm, carrying running statistics', async () => {
    const graph = mlp('  d = dropout 0.3\n  bn = batchnorm\n');
    const config = readTrainConfig(graph);
    const r = await train({ backend: cpuBackend, graph, config, data });
    const mean = r.weights.get('bn.running_mean')!.data;
    expect(mean.some((v) => v !== 0)).toBe(true);
    expect(r.epochs[2]!.test.accuracy).toBeGreaterThan(0.85);
  });

  it('refuses data whose samples do not fit the input', async () => {
    const graph = model('model m {\n  input x: f32[N, 5]\n  dense 2\n  train { loss mse }\n}\n');
    await expect(
      train({ backend: cpuBackend, graph, config: readTrainConfig(graph), data }),
    ).rejects.toThrow(
      'blobs: each sample has 4 values ([4]), but input `x` takes 5 per sample ([5])',
    );
  });

  it('asks for an open batch dimension', async () => {
    const graph = model('model m {\n  input x: f32[16, 4]\n  dense 2\n  train { loss mse }\n}\n');
    await expect(
      train({ backend: cpuBackend, graph, config: readTrainConfig(graph), data }),
    ).rejects.toThrow('input `x` fixes the batch at 16; training feeds batches of varying size');
  });

  it('refuses a backend without backward kernels, naming what it lacks', async () => {
    const graph = mlp();
    const forwardOnly = createCpuBackend({ ops: ['dense', 'relu'] });
    await expect(
      train({ backend: forwardOnly, graph, config: readTrainConfig(graph), data }),
    ).rejects.toThrow(
      /^the cpu backend cannot train this model: it has no kernels for `softmax_cross_entropy`, .*`dense_grad_weight`/,
    );
  });
});
