/**
 * Training graphs (core's buildTrainingGraph) on the WASM backend against the CPU reference:
 * small models that together use every backward and training-mode op, compared on every output
 * of the training graph (loss, prediction, each parameter gradient, dL/d(input), updated
 * batchnorm statistics) with the scaled tolerance of ./models.ts. The gradient with respect to
 * the input is asked for too, so the first conv's input gradient (stride, padding, dilation,
 * groups) runs as well.
 *
 * Shapes are odd, batches run at two sizes, and some layers are wide or deep enough for the
 * GEMM's depth blocks, edge tiles and conv's blocks of output positions; a threaded session
 * must give the single-threaded results bit for bit (threads split work, never a sum).
 */
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../packages/backend-cpu/src/index.js';
import { createWasmBackend, wasmBackend } from '../../packages/backend-wasm/src/index.js';
import type { Backend, Graph, LossKind, Tensor } from '../../packages/core/src/index.js';
import { Rng, buildTrainingGraph, hasErrors, ops } from '../../packages/core/src/index.js';
import { compile } from '../../packages/dsl/src/index.js';
import { randomWeights } from '../passes/random_weights.js';
import { TOLERANCE, scaledError, seededInputs } from './models.js';

function model(source: string): Graph {
  const result = compile(source, 'test.kiln');
  if (hasErrors(result.diagnostics) || !result.graph) {
    throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  }
  return result.graph;
}

/** Dense layers, every activation, batchnorm on [N, C], dropout, a branch joined by add. */
const mlp = model(`model mlp {
  input x: f32[N, 37]
  a = dense 40 bias=false
  bn = batchnorm
  l = leaky_relu 0.1
  d = dropout 0.3
  wide = dense 300
  g = gelu
  t = dense 20 bias=false
  th = tanh
  s = dense(g) 20
  sg = sigmoid
  sum = add(th, sg)
  ga = gelu approximate=tanh
  r = relu
  logits = dense 10
}
`);

/**
 * Convs with stride, uneven padding, dilation and groups; batchnorm on a map; both pools with
 * padding and ceil mode, and 2 x 2 max pooling that leaves a row out; concat; global average
 * pooling; flatten.
 */
const cnn = model(`model cnn {
  input x: f32[N, 4, 21, 19]
  c1 = conv 8 kernel=3 stride=2 pad=1 bias=false
  bn = batchnorm
  r = relu
  c2 = conv 8 kernel=3 dilation=2 pad=2 groups=2
  c3 = conv(r) 6 kernel=[2, 3] pad=[1, 1, 0, 1]
  cat = concat(c2, c3)
  m = maxpool 3 stride=2 pad=1 ceil_mode=true
  v = avgpool(cat) 3 stride=2 pad=1 count_include_pad=false ceil_mode=true
  sum = add(m, v)
  c4 = conv 5 kernel=3 pad=1 groups=1
  a = avgpool 2
  gap = global_avgpool(c4)
  flat = flatten(a)
  f1 = dense 7
  fg = flatten(gap)
  mx = maxpool(r) 2
  fm = flatten
  both = concat(f1, fg, fm)
  logits = dense 3
}
`);

/**
 * More output positions than one block (20 x 20), max pooling after relu (ties: the first
 * maximum wins), a conv with 300 channels.
 */
const big = model(`model big {
  input x: f32[N, 3, 20, 20]
  c1 = conv 4 kernel=3 pad=1 relu
  p = maxpool 2
  c2 = conv 300 kernel=1
  c3 = conv 3 kernel=3 stride=2 pad=1
  gap = global_avgpool
  flat = flatten
}
`);

/** softmax on two axes after a reshape; trained with mean squared error. */
const soft = model(`model soft {
  input x: f32[N, 24]
  h = dense 24
  shaped = reshape [3, -1]
  s1 = softmax axis=1
  s2 = softmax axis=-1
}
`);

/** A dense weight above STAGE_BYTES (16 MiB): its input gradient's W is packed in two bands. */
const wide = model(`model wide {
  input x: f32[N, 2050]
  h = dense 2049
  logits = dense 3
}
`);

/** One logit per sample for binary cross-entropy. */
const binary = model(`model binary {
  input x: f32[N, 7]
  h = dense 5 tanh
  logit = dense 1
}
`);

function uniform(shape: number[], seed: number, draw: (u: number) => number): Tensor {
  const rng = new Rng(seed);
  const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () =>
    draw(rng.uniform()),
  );
  return { dtype: 'f32', shape, data };
}

/** A target of the prediction's shape that suits the loss. */
function target(loss: LossKind, shape: number[], seed: number): Tensor {
  if (loss === 'sigmoid_bce') return uniform(shape, seed, (u) => (u < 0.5 ? 0 : 1));
  if (loss === 'mse_loss') return uniform(shape, seed, (u) => 2 * u - 1);
  // One-hot rows, but one soft row, so the gradient's Σt factor is exercised.
  const t = uniform(shape, seed, () => 0);
  const [n, k] = shape as [number, number];
  for (let b = 0; b < n; b++) t.data[b * k + ((b * 7) % k)] = 1;
  t.data.fill(1 / k, 0, k);
  return t;
}

/**
 * max |got − want| over the tensor's own largest |want|, floored at 1e-3: gradients are mostly
 * far below 1, where the floor of scaledError would let a 1% mistake pass. (A gradient that is
 * zero in exact arithmetic, such as a bias followed by batchnorm, is rounding noise on both
 * backends and cannot be compared so; the models here give such layers no bias, as real
 * networks do.)
 */
function ownScaleError(got: Tensor, want: Tensor): number {
  let top = 0;
  for (const v of want.data) top = Math.max(top, Math.abs(v));
  return (scaledError(got, want) * Math.max(1, top)) / Math.max(1e-3, top);
}

interface Case {
  readonly graph: Graph;
  readonly loss: LossKind;
  readonly prediction: string;
  readonly batches: readonly number[];
}

/** All outputs of the training graph on `backend`, and the graph. */
async function trainingOutputs(backend: Backend, c: Case, batch: number) {
  const tg = buildTrainingGraph(
    c.graph,
    { kind: c.loss, prediction: c.prediction },
    { inputGrads: ['x'] },
  );
  const feeds = seededInputs(c.graph, batch);
  const predictionShape = tg.graph.nodes.find((n) => n.name === tg.target)!.attrs['shape'];
  const shape = (predictionShape as (number | string)[]).map((d) =>
    typeof d === 'number' ? d : batch,
  );
  feeds[tg.target] = target(c.loss, shape, batch);
  for (const mask of tg.masks) {
    const inputNode = tg.graph.nodes.find((n) => n.name === mask.name)!;
    const maskShape = (inputNode.attrs['shape'] as (number | string)[]).map((d) =>
      typeof d === 'number' ? d : batch,
    );
    feeds[mask.name] = uniform(maskShape, 3, (u) => (u < mask.p ? 0 : 1));
  }
  const session = await backend.compile(tg.graph, randomWeights(c.graph, 4));
  return { tg, out: await session.run(feeds) };
}

const cases: Record<string, Case> = {
  'mlp, cross-entropy': {
    graph: mlp,
    loss: 'softmax_cross_entropy',
    prediction: 'logits',
    batches: [5, 300],
  },
  'cnn, cross-entropy': {
    graph: cnn,
    loss: 'softmax_cross_entropy',
    prediction: 'logits',
    batches: [3, 1],
  },
  'many positions and channels, mse': {
    graph: big,
    loss: 'mse_loss',
    prediction: 'flat',
    batches: [2],
  },
  'softmax on two axes, mse': { graph: soft, loss: 'mse_loss', prediction: 's2', batches: [4] },
  'a dense weight packed in bands, mse': {
    graph: wide,
    loss: 'mse_loss',
    prediction: 'logits',
    batches: [2],
  },
  'binary cross-entropy': { graph: binary, loss: 'sigmoid_bce', prediction: 'logit', batches: [9] },
};

describe('training graphs: wasm against the cpu backend', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      for (const batch of c.batches) {
        const want = await trainingOutputs(cpuBackend, c, batch);
        const got = await trainingOutputs(wasmBackend, c, batch);
        const outputs = want.tg.graph.outputs;
        // Every parameter gradient, the input gradient and the loss are among them.
        const grads = [...want.tg.paramGrads.values(), ...want.tg.inputGrads.values()];
        expect(outputs).toEqual(expect.arrayContaining([want.tg.loss, ...grads]));
        for (const tensor of outputs) {
          const [g, w] = [got.out[tensor]!, want.out[tensor]!];
          expect(scaledError(g, w), `${tensor} at batch ${batch}`).toBeLessThanOrEqual(TOLERANCE);
          expect(ownScaleError(g, w), `${tensor} at batch ${batch}`).toBeLessThanOrEqual(TOLERANCE);
        }
      }
    });
  }

  it('cover every backward and training-mode op of core, all of which wasm claims', () => {
    const used = new Set<string>();
    for (const c of Object.values(cases)) {
      const tg = buildTrainingGraph(
        c.graph,
        { kind: c.loss, prediction: c.prediction },
        { inputGrads: ['x'] },
      );
      for (const n of tg.graph.nodes) used.add(n.op);
    }
    const training = [...ops.values()].filter((op) => op.category === 'training');
    expect(training.length).toBeGreaterThan(20);
    for (const op of training) {
      expect(wasmBackend.capabilities.ops.has(op.name), op.name).toBe(true);
      expect(used.has(op.name), op.name).toBe(true);
    }
    expect(
      [...cpuBackend.capabilities.ops].filter((op) => !wasmBackend.capabilities.ops.has(op)),
    ).toEqual([]);
  });
});

describe('training sessions', () => {
  it('plan the backward kernels’ scratch once: a second step at one batch grows nothing', async () => {
    const c = cases['cnn, cross-entropy']!;
    const tg = buildTrainingGraph(c.graph, { kind: c.loss, prediction: c.prediction });
    const session = await wasmBackend.compile(tg.graph, randomWeights(c.graph, 4));
    const feeds = seededInputs(c.graph, 3);
    feeds[tg.target] = target(c.loss, [3, 3], 1);
    const first = await session.run(feeds);
    const grown = session.info.details['memoryBytes'];
    const second = await session.run(feeds);
    expect(session.info.details['memoryBytes']).toBe(grown);
    for (const name of tg.graph.outputs) expect(second[name]!.data).toEqual(first[name]!.data);
  });
});

describe('training graphs on worker threads', () => {
  // Every step is above POOL_MIN_MACS at batch 8, so the pool splits each GEMM-backed kernel.
  const net = model(`model net {
    input x: f32[N, 16, 16, 16]
    c1 = conv 32 kernel=3 pad=1 relu
    c2 = conv 32 kernel=3 pad=1 groups=2
    flat = flatten
    fc = dense 64 relu
    logits = dense 10
  }
  `);
  const c: Case = { graph: net, loss: 'softmax_cross_entropy', prediction: 'logits', batches: [8] };

  it('give the single-thread results bit for bit, and match the cpu backend', async () => {
    const threaded = createWasmBackend({ threads: 2 });
    const one = await trainingOutputs(wasmBackend, c, 8);
    const two = await trainingOutputs(threaded, c, 8);
    const want = await trainingOutputs(cpuBackend, c, 8);
    for (const tensor of one.tg.graph.outputs) {
      expect(two.out[tensor]!.data, tensor).toEqual(one.out[tensor]!.data);
      const error = scaledError(one.out[tensor]!, want.out[tensor]!);
      expect(error, tensor).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});
