/**
 * `kiln train MODEL.kiln --data DIR -o WEIGHTS [--backend cpu|wasm [--threads T]] [--epochs E]
 * [--batch-size B] [--lr LR] [--optimizer sgd|adam] [--loss L] [--seed S] [--weights F]
 * [--resume F] [--checkpoint F] [--limit N] [--force] [--json]`: trains the model on a data
 * folder (IDX as Fashion-MNIST ships, or train.csv / test.csv) and writes its weights as
 * safetensors.
 *
 * Hyperparameters come from the model's `train { ... }` section; flags override them. Progress
 * goes to stderr (a bar on a terminal), one line per epoch to stdout. A checkpoint (weights
 * plus optimizer state) is written after every epoch, on Ctrl-C, and, when a step goes
 * non-finite, with the last good weights; `--resume` continues from one. Nothing is
 * overwritten without --force, and every file appears whole or not at all.
 */
import { resolve } from 'node:path';
import type { Diagnostic, Weights } from '@kiln/core';
import { DiagnosticError, encodeSafetensors, renderDiagnostics, validateWeights } from '@kiln/core';
import type { LossName, OptimizerName, TrainState } from '@kiln/train';
import {
  NonFiniteError,
  TrainError,
  checkDataDir,
  decodeCheckpoint,
  encodeCheckpoint,
  head,
  loadDataDir,
  modelInput,
  readTrainConfig,
  train,
} from '@kiln/train';
import type { BatchProgress, EpochReport } from '@kiln/train';
import { pickBackend, threadsFlag } from '../backends.js';
import type { Command } from '../command.js';
import { helpFlag, jsonFlag } from '../command.js';
import { why } from '../errno.js';
import type { Io } from '../io.js';
import { exitCode, UsageError, UserError, unlocated } from '../io.js';
import type { LoadedModel } from '../model.js';
import { loadModel } from '../model.js';
import { chooseWeights } from '../weights.js';
import { ensureWritableLater, writeNew } from '../write.js';
import { ensureRunFits } from '../memory.js';

/** Exit code after Ctrl-C, as shells report a SIGINT. */
const INTERRUPTED = 130;

function oneOf<T extends string>(
  flag: string,
  v: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T))
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}; got \`${v}\``);
  return v as T;
}

const clockText = (s: number) => {
  if (!Number.isFinite(s)) return '--:--';
  const t = Math.round(s);
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
};

function progressLine(p: BatchProgress): string {
  const width = 20;
  const done = Math.round((p.batch / p.batches) * width);
  const bar = '#'.repeat(done) + '.'.repeat(width - done);
  return `epoch ${p.epoch}/${p.epochs} [${bar}] ${p.batch}/${p.batches} loss ${p.loss.toFixed(4)} ${Math.round(p.samplesPerSecond)} samples/s ETA ${clockText(p.eta)}`;
}

function epochLine(e: EpochReport, epochs: number): string {
  return `epoch ${e.epoch}/${epochs}: train loss ${e.trainLoss.toFixed(4)}, train accuracy ${e.trainAccuracy.toFixed(4)}, test loss ${e.test.loss.toFixed(4)}, test accuracy ${e.test.accuracy.toFixed(4)} (${e.seconds.toFixed(1)} s)`;
}

function rendered(
  model: LoadedModel,
  diagnostics: readonly Diagnostic[],
  summary: string,
): UserError {
  const located = diagnostics.filter((d) => d.span);
  if (!located.length) {
    return diagnostics.some((d) => d.hint)
      ? unlocated(diagnostics)
      : new UserError(`error: ${summary}`, exitCode.userError, diagnostics);
  }
  const shown = renderDiagnostics(located, { [model.path]: model.text }, model.path);
  // A summary that only repeats the one diagnostic adds nothing.
  const text = located.some((d) => d.message === summary) ? shown : `${shown}\n\n${summary}`;
  return new UserError(text, exitCode.userError, diagnostics);
}

/**
 * The data folder is checked before the model is loaded and sized, so a wrong --data fails at
 * once; the loader's own words are used, with the path first.
 */
function ensureDataDir(dir: string): void {
  try {
    checkDataDir(dir);
  } catch (e) {
    if (e instanceof TrainError) throw new UserError(`error: ${e.message}`);
    throw e;
  }
}

function readCheckpoint(io: Io, model: LoadedModel, file: string): TrainState {
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(file);
  } catch (e) {
    throw new UserError(`error: cannot read checkpoint \`${file}\`: ${why(e)}`);
  }
  const state = decodeCheckpoint(file, bytes);
  const problems = validateWeights(model.graph, model.shapes, state.weights);
  if (problems.length) {
    throw rendered(
      model,
      problems,
      `${file}: the checkpoint's weights do not fit \`${model.path}\``,
    );
  }
  return state;
}

export const trainCommand: Command = {
  name: 'train',
  usage:
    'kiln train MODEL.kiln --data DIR -o WEIGHTS.safetensors [--backend cpu|wasm|webgpu] [--threads T] [--epochs E] [options]',
  summary: 'train a model on a data folder and write its weights',
  flags: {
    data: {
      kind: 'string',
      doc: 'folder with IDX files (Fashion-MNIST layout) or train.csv and test.csv',
    },
    output: { kind: 'string', short: 'o', doc: 'safetensors file for the trained weights' },
    backend: { kind: 'string', doc: 'backend to train on: cpu (default), wasm or webgpu' },
    threads: threadsFlag,
    epochs: { kind: 'int', min: 1, doc: "epochs (default: the model's train section, else 1)" },
    'batch-size': {
      kind: 'int',
      min: 1,
      doc: 'mini-batch size (default: train section, else 32)',
    },
    lr: {
      kind: 'number',
      above: 0,
      doc: 'learning rate (default: train section, else 0.01 / Adam 0.001)',
    },
    optimizer: { kind: 'string', doc: 'sgd or adam (default: train section, else sgd)' },
    loss: { kind: 'string', doc: 'cross_entropy, mse or bce (default: train section)' },
    seed: { kind: 'int', doc: 'seed of initialisation, shuffling and dropout (default 0)' },
    weights: {
      kind: 'string',
      doc: 'start from these weights (safetensors) instead of seeded init',
    },
    resume: { kind: 'string', doc: 'continue from a checkpoint written by kiln train' },
    checkpoint: { kind: 'string', doc: 'checkpoint file (default: WEIGHTS.ckpt)' },
    limit: { kind: 'int', min: 1, doc: 'train on the first N training samples only' },
    force: { kind: 'boolean', doc: 'overwrite WEIGHTS and the checkpoint if they exist' },
    json: jsonFlag,
    help: helpFlag,
  },
  async run({ positional, flags }, io) {
    if (positional.length !== 1) throw new UsageError('train takes exactly one model file');
    const dir = flags['data'] as string | undefined;
    if (!dir) throw new UsageError('train needs a data folder: --data DIR');
    const out = flags['output'] as string | undefined;
    if (!out) throw new UsageError('train needs an output file: -o WEIGHTS.safetensors');
    const backend = pickBackend(
      flags['backend'] as string | undefined,
      (flags['threads'] as number | undefined) ?? 1,
    );
    const overrides = {
      epochs: flags['epochs'] as number | undefined,
      batchSize: flags['batch-size'] as number | undefined,
      lr: flags['lr'] as number | undefined,
      optimizer: oneOf<OptimizerName>('optimizer', flags['optimizer'] as string | undefined, [
        'sgd',
        'adam',
      ]),
      loss: oneOf<LossName>('loss', flags['loss'] as string | undefined, [
        'cross_entropy',
        'mse',
        'bce',
      ]),
      seed: flags['seed'] as number | undefined,
    };
    const limit = flags['limit'] as number | undefined;
    const force = flags['force'] === true;
    const resumeFile = flags['resume'] as string | undefined;
    if (resumeFile && flags['weights'])
      throw new UsageError('give --weights or --resume, not both');
    const checkpointFile = (flags['checkpoint'] as string | undefined) ?? `${out}.ckpt`;
    if (resolve(checkpointFile) === resolve(out)) {
      throw new UsageError(
        'the checkpoint and the weights need different files (-o, --checkpoint)',
      );
    }
    ensureDataDir(dir);
    ensureWritableLater(out);
    ensureWritableLater(checkpointFile);
    if (io.exists(out) && !force)
      throw new UserError(`error: \`${out}\` exists; pass --force to overwrite it`);
    if (io.exists(checkpointFile) && !force && checkpointFile !== resumeFile) {
      throw new UserError(
        `error: checkpoint \`${checkpointFile}\` exists; pass --force to overwrite it, or --resume it`,
      );
    }

    const model = loadModel(io, positional[0]!);
    try {
      const definedSeed = overrides.seed;
      const resume = resumeFile ? readCheckpoint(io, model, resumeFile) : undefined;
      const config = readTrainConfig(model.graph, {
        ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
        ...(resume && definedSeed === undefined ? { seed: resume.seed } : {}),
      });
      if (resume && resume.optimizer !== config.optimizer.kind) {
        throw new UserError(
          `error: \`${resumeFile}\` was written by the ${resume.optimizer} optimizer; this run uses ${config.optimizer.kind}`,
        );
      }
      // The seed orders the batches of every epoch: another one would repeat some samples of the
      // interrupted epoch and skip others. Nor is there anything to do past the last epoch.
      if (resume && definedSeed !== undefined && definedSeed !== resume.seed) {
        throw new UserError(
          `error: \`${resumeFile}\` was trained with seed ${resume.seed}; resuming with --seed ${definedSeed} would reorder its data (drop --seed)`,
        );
      }
      if (resume && resume.epoch >= config.epochs) {
        throw new UserError(
          `error: \`${resumeFile}\` has already finished ${resume.epoch} epochs; give --epochs above ${resume.epoch} to train on`,
        );
      }
      // Sized before any weight, gradient or sample is allocated (a wasm session refuses a model
      // past 4 GiB only once its weights exist, after a minute and gigabytes).
      const input = modelInput(model.graph);
      const batch = input.fixedBatch ?? config.batchSize;
      ensureRunFits(model.graph, { [input.name]: [batch, ...input.sample] }, backend, {
        training: true,
      });
      const start: Weights | undefined = flags['weights']
        ? chooseWeights(io, model, model.graph, model.shapes, flags['weights'] as string, 0).weights
        : undefined;
      const data = loadDataDir(dir);
      const splits = limit ? { train: head(data.train, limit), test: data.test } : data;
      io.stderr(
        `training \`${model.graph.name}\` on ${splits.train.count} samples (test ${splits.test.count}), ${config.epochs} epochs, batch ${config.batchSize}, ${config.optimizer.kind} lr ${config.optimizer.lr}, ${config.loss}, backend ${backend.name}${resume ? `, resuming at epoch ${resume.epoch + 1} batch ${resume.batch + 1}` : ''}\n`,
      );
      const saveCheckpoint = (s: TrainState) =>
        writeNew(io, checkpointFile, encodeCheckpoint(s), true);
      // The first Ctrl-C stops after the current step and saves a checkpoint; a second one only
      // says so (Node's default would kill the process before the checkpoint is written); a
      // third quits at once, without one.
      let interrupted = false;
      let signals = 0;
      const onSigint = () => {
        interrupted = true;
        signals++;
        if (signals === 2) {
          io.stderr(
            '\nstopping after this step to save a checkpoint; Ctrl-C again quits without one\n',
          );
        } else if (signals >= 3) {
          io.stderr('\ninterrupted again: quitting without saving a checkpoint\n');
          process.exit(INTERRUPTED);
        }
      };
      process.on('SIGINT', onSigint);
      let lastDraw = 0;
      const epochs: EpochReport[] = [];
      let result;
      try {
        result = await train({
          backend,
          graph: model.graph,
          config,
          data: splits,
          ...(start ? { weights: start } : {}),
          ...(resume ? { resume } : {}),
          stop: () => interrupted,
          onBatch: (p) => {
            const now = Date.now();
            const last = p.batch === p.batches;
            if (io.interactive && (now - lastDraw > 100 || last)) {
              lastDraw = now;
              io.stderr(`\r${progressLine(p)}\x1b[K`);
            } else if (!io.interactive && (now - lastDraw > 10_000 || last)) {
              lastDraw = now;
              io.stderr(`${progressLine(p)}\n`);
            }
          },
          onEpoch: (e) => {
            epochs.push(e);
            if (io.interactive) io.stderr('\r\x1b[K');
            (flags['json'] ? io.stderr : io.stdout)(`${epochLine(e, config.epochs)}\n`);
          },
          onCheckpoint: saveCheckpoint,
        });
      } catch (e) {
        if (e instanceof NonFiniteError) {
          saveCheckpoint(e.lastGood);
          throw new UserError(
            `error: ${e.message}\nlast good weights: checkpoint \`${checkpointFile}\``,
          );
        }
        throw e;
      } finally {
        // Until the checkpoint is on disk a Ctrl-C must reach onSigint, never Node's default
        // (which would end the process before the save); after it, one simply ends with 130.
        if (!interrupted) process.removeListener('SIGINT', onSigint);
      }
      if (result.stopped) {
        saveCheckpoint(result.state);
        process.removeListener('SIGINT', onSigint);
        process.once('SIGINT', () => process.exit(INTERRUPTED));
        if (io.interactive) io.stderr('\n');
        io.stderr(
          `interrupted at epoch ${result.state.epoch + 1}, batch ${result.state.batch + 1}: checkpoint saved to \`${checkpointFile}\`; continue with --resume ${checkpointFile}\n`,
        );
        return INTERRUPTED;
      }
      writeNew(io, out, encodeSafetensors(result.weights), force);
      process.removeListener('SIGINT', onSigint);
      const final = epochs[epochs.length - 1];
      if (flags['json']) {
        io.stdout(
          `${JSON.stringify({ model: model.graph.name, weights: out, checkpoint: checkpointFile, epochs })}\n`,
        );
      } else {
        io.stdout(
          `wrote ${out}${final ? ` (test accuracy ${final.test.accuracy.toFixed(4)})` : ''}\n`,
        );
      }
      return exitCode.ok;
    } catch (e) {
      if (e instanceof TrainError) {
        throw e.diagnostics.length
          ? rendered(model, e.diagnostics, e.message)
          : new UserError(`error: ${e.message}`);
      }
      if (e instanceof DiagnosticError) throw rendered(model, e.diagnostics, e.message);
      throw e;
    }
  },
};
