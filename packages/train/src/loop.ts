/**
 * The training loop: per epoch a seeded shuffle, mini-batches through the training graph
 * (core's autodiff, run by any backend that has the backward kernels), an optimizer step on
 * every parameter that is not frozen, batchnorm's running statistics carried forward, then an
 * evaluation on the test set. A step whose loss or gradients are not finite stops training
 * with the step and the first layer at fault named, keeping the weights from before it.
 *
 * The training graph is compiled once; after each optimizer step the session gets the updated
 * parameters and running statistics through `Session.updateWeights`, so a backend re-packs or
 * re-uploads only those weights and keeps its plans and pipelines.
 */
import type { Backend, Graph, Shape, Tensor, Weights } from '@kiln/core';
import { buildTrainingGraph, checkGraph, initWeights } from '@kiln/core';
import { dropoutMask, epochOrder, gather } from './batches.js';
import type { TrainState } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import type { DataSplits } from './data/load.js';
import { sampleSize } from './data/dataset.js';
import { TrainError } from './errors.js';
import type { Metrics } from './evaluate.js';
import { correct, evaluate } from './evaluate.js';
import { bindLoss, checkLabels } from './loss.js';
import type { ModelInput } from './model-input.js';
import { checkFits, modelInput } from './model-input.js';
import { findNonFinite } from './nonfinite.js';
import { createOptimizer } from './optimizers.js';

export interface BatchProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  /** Mean training loss over this epoch's batches so far. */
  readonly loss: number;
  readonly samplesPerSecond: number;
  /** Seconds left in this epoch at the current rate. */
  readonly eta: number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly test: Metrics;
  readonly seconds: number;
}

export interface TrainOptions {
  readonly backend: Backend;
  readonly graph: Graph;
  readonly config: TrainConfig;
  readonly data: DataSplits;
  /** Starting weights; default: seeded initialisation with the config's seed. */
  readonly weights?: Weights;
  /** Continue from a checkpoint (its weights and optimizer state win over `weights`). */
  readonly resume?: TrainState;
  /** Checked between batches; when set, training stops and returns its state. */
  readonly stop?: () => boolean;
  readonly onBatch?: (p: BatchProgress) => void;
  readonly onEpoch?: (e: EpochReport) => void;
  /** Called after every epoch with a state a checkpoint can store. */
  readonly onCheckpoint?: (s: TrainState) => void;
  /** Milliseconds, for rates; default performance.now. */
  readonly clock?: () => number;
}

export interface TrainResult {
  readonly weights: Weights;
  readonly epochs: readonly EpochReport[];
  /** True when `stop` ended training early. */
  readonly stopped: boolean;
  readonly state: TrainState;
}

/** A step produced NaN or infinity; `lastGood` holds the weights from before that step. */
export class NonFiniteError extends TrainError {
  constructor(
    message: string,
    readonly lastGood: TrainState,
  ) {
    super(message);
    this.name = 'NonFiniteError';
  }
}

function shapesOf(graph: Graph): ReadonlyMap<string, Shape> {
  const { shapes, diagnostics } = checkGraph(graph);
  if (diagnostics.some((d) => d.severity === 'error')) {
    throw new TrainError(`model \`${graph.name}\` does not check`, diagnostics);
  }
  return shapes;
}

/**
 * The last batch of an epoch, and of an evaluation, is smaller when the batch size does not
 * divide the data, so the model must leave its batch dimension open.
 */
function batchSizeFor(input: ModelInput, config: TrainConfig): number {
  if (input.fixedBatch !== undefined) {
    throw new TrainError(
      `input \`${input.name}\` fixes the batch at ${input.fixedBatch}; training feeds batches of varying size: declare the batch as \`N\``,
    );
  }
  return config.batchSize;
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { backend, graph, config, data } = options;
  const clock = options.clock ?? (() => performance.now());
  const shapes = shapesOf(graph);
  const input = modelInput(graph);
  checkFits(input, data.train);
  checkFits(input, data.test);
  const loss = bindLoss(graph, shapes, config.loss);
  checkLabels(loss, data.train.labels, data.train.labelSource ?? data.train.source);
  checkLabels(loss, data.test.labels, data.test.labelSource ?? data.test.source);
  const batchSize = batchSizeFor(input, config);
  const tg = buildTrainingGraph(graph, { kind: loss.kind, prediction: loss.prediction });
  // Refuse up front, in one line, a backend without the backward kernels (rather than a
  // compile error per backward node at the first step).
  const missing = [...new Set(tg.graph.nodes.map((n) => n.op))].filter(
    (op) => !backend.capabilities.ops.has(op),
  );
  if (missing.length) {
    throw new TrainError(
      `the ${backend.name} backend cannot train this model: it has no kernels for ${missing.map((o) => `\`${o}\``).join(', ')}`,
    );
  }

  checkResume(options.resume, batchSize, data.train.count);
  const weights = new Map<string, Tensor>(
    options.resume?.weights ?? options.weights ?? initWeights(graph, shapes, config.seed),
  );
  // Own copies: updates happen in place and must not reach the caller's tensors.
  for (const [k, t] of weights) weights.set(k, { ...t, data: t.data.slice() });
  const optimizer = createOptimizer(config.optimizer);
  if (options.resume) optimizer.load(options.resume.slots, options.resume.optimizerSteps);
  let step = options.resume?.step ?? 0;
  const snapshot = (epoch: number, batch: number): TrainState => ({
    epoch,
    batch,
    step,
    seed: config.seed,
    optimizer: config.optimizer.kind,
    weights: new Map([...weights].map(([k, t]) => [k, { ...t, data: t.data.slice() }])),
    slots: new Map([...optimizer.state().slots].map(([k, v]) => [k, v.slice()])),
    optimizerSteps: optimizer.state().steps,
    batchSize,
    samples: data.train.count,
  });

  const size = sampleSize(data.train);
  const batches = Math.ceil(data.train.count / batchSize);
  const reports: EpochReport[] = [];
  const startEpoch = options.resume?.epoch ?? 0;
  let skip = options.resume?.batch ?? 0;
  let lastYield = clock();
  const session = await backend.compile(tg.graph, weights);
  // The tensors a step changes, handed to the session after every step.
  const changed = new Map<string, Tensor>(
    [
      ...tg.paramGrads.keys(),
      ...[...tg.runningStats.keys()].flatMap((node) => [
        `${node}.running_mean`,
        `${node}.running_var`,
      ]),
    ].map((name) => [name, weights.get(name)!]),
  );
  for (let epoch = startEpoch; epoch < config.epochs; epoch++) {
    const order = epochOrder(data.train.count, config.seed, epoch);
    const began = clock();
    let lossSum = 0;
    let right = 0;
    let seen = 0;
    for (let b = skip; b < batches; b++) {
      // Let timers and signal handlers (Ctrl-C) run: backends may resolve without yielding.
      if (clock() - lastYield > 50) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastYield = clock();
      }
      if (options.stop?.())
        return { weights, epochs: reports, stopped: true, state: snapshot(epoch, b) };
      const n = Math.min(batchSize, data.train.count - b * batchSize);
      const features = new Float32Array(n * size);
      const labels = new Int32Array(n);
      gather(data.train, order.subarray(b * batchSize, b * batchSize + n), features, labels);
      const target = new Float32Array(n * loss.width);
      loss.encode(labels, target);
      const feeds: Record<string, Tensor> = {
        [input.name]: { dtype: 'f32', shape: [n, ...input.sample], data: features },
        [tg.target]: { dtype: 'f32', shape: [n, loss.width], data: target },
      };
      for (const mask of tg.masks) {
        const shape = [
          n,
          ...(shapes
            .get(graph.nodes.find((x) => x.name === mask.node)!.inputs[0]!)!
            .slice(1) as number[]),
        ];
        const data = new Float32Array(shape.reduce((a, c) => a * c, 1));
        dropoutMask(data, mask.p, config.seed, mask.node, step);
        feeds[mask.name] = { dtype: 'f32', shape, data };
      }
      const out = await session.run(feeds);
      const value = out[tg.loss]!.data[0]!;
      const bad =
        !Number.isFinite(value) ||
        [...tg.paramGrads.values()].some((g) => !allFinite(out[g]!.data));
      if (bad) {
        const where = await findNonFinite(backend, tg, weights, feeds);
        throw new NonFiniteError(
          `step ${step + 1} (epoch ${epoch + 1}, batch ${b + 1}): the loss is ${value}; ${where}. Training stopped; the weights from before this step are kept`,
          snapshot(epoch, b),
        );
      }
      optimizer.beginStep();
      for (const [param, g] of tg.paramGrads)
        optimizer.update(param, weights.get(param)!.data, out[g]!.data);
      for (const [node, stats] of tg.runningStats) {
        const s = out[stats]!.data;
        const c = s.length / 2;
        weights.get(`${node}.running_mean`)!.data.set(s.subarray(0, c));
        weights.get(`${node}.running_var`)!.data.set(s.subarray(c));
      }
      await session.updateWeights(changed);
      step++;
      lossSum += value * n;
      seen += n;
      const pred = out[tg.prediction]!.data;
      for (let i = 0; i < n; i++) {
        if (correct(loss, pred.subarray(i * loss.width, (i + 1) * loss.width), labels[i]!)) right++;
      }
      const elapsed = (clock() - began) / 1000;
      const rate = seen / Math.max(elapsed, 1e-9);
      options.onBatch?.({
        epoch: epoch + 1,
        epochs: config.epochs,
        batch: b + 1,
        batches,
        loss: lossSum / seen,
        samplesPerSecond: rate,
        eta:
          (data.train.count - (b + 1) * batchSize > 0
            ? data.train.count - (b + 1) * batchSize
            : 0) / rate,
      });
    }
    skip = 0;
    const test = await evaluate(
      backend,
      graph,
      weights,
      loss,
      input,
      data.test,
      Math.max(batchSize, 256),
    );
    const report: EpochReport = {
      epoch: epoch + 1,
      trainLoss: seen ? lossSum / seen : NaN,
      trainAccuracy: seen ? right / seen : NaN,
      test,
      seconds: (clock() - began) / 1000,
    };
    reports.push(report);
    options.onEpoch?.(report);
    options.onCheckpoint?.(snapshot(epoch + 1, 0));
  }
  return { weights, epochs: reports, stopped: false, state: snapshot(config.epochs, 0) };
}

function allFinite(data: Float32Array): boolean {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return false;
  return true;
}

/** A resumed run must cut its epochs as the interrupted one did, or `batch` means nothing. */
function checkResume(resume: TrainState | undefined, batchSize: number, samples: number): void {
  if (resume?.batchSize !== undefined && resume.batchSize !== batchSize) {
    throw new TrainError(
      `the checkpoint was trained in batches of ${resume.batchSize}; resuming in batches of ${batchSize} would not continue where it stopped (use batch size ${resume.batchSize})`,
    );
  }
  if (resume?.samples !== undefined && resume.samples !== samples) {
    throw new TrainError(
      `the checkpoint was trained on ${resume.samples} samples; this run has ${samples} (resume with the same data and --limit)`,
    );
  }
}
