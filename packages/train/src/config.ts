/**
 * Hyperparameters: the model's `train { ... }` section, then command-line overrides, then
 * defaults. Every key and value is checked; a mistake in the section is a located diagnostic
 * (with did-you-mean), so `kiln train` shows the line and a caret like any model error.
 */
import type { AttrValue, Diagnostic, Graph, Span, TrainingEntry } from '@kiln/core';
import { didYouMean, error } from '@kiln/core';
import { TrainError } from './errors.js';

export type LossName = 'cross_entropy' | 'mse' | 'bce';
export type OptimizerName = 'sgd' | 'adam';

export interface OptimizerConfig {
  readonly kind: OptimizerName;
  readonly lr: number;
  /** SGD: heavy-ball momentum (PyTorch's form). */
  readonly momentum: number;
  /** L2 penalty added to the gradient (both optimizers, as PyTorch). */
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

export interface TrainConfig {
  readonly loss: LossName;
  readonly optimizer: OptimizerConfig;
  readonly batchSize: number;
  readonly epochs: number;
  readonly seed: number;
}

/** Command-line values; each replaces the section's. */
export interface Overrides {
  readonly loss?: LossName;
  readonly optimizer?: OptimizerName;
  readonly lr?: number;
  readonly batchSize?: number;
  readonly epochs?: number;
  readonly seed?: number;
}

const LOSSES: Readonly<Record<string, LossName>> = {
  cross_entropy: 'cross_entropy',
  mse: 'mse',
  bce: 'bce',
  binary_cross_entropy: 'bce',
};
const KEYS = ['loss', 'optimizer', 'lr', 'batch_size', 'epochs', 'seed'];
const OPTIMIZER_OPTIONS: Readonly<Record<OptimizerName, readonly string[]>> = {
  sgd: ['momentum', 'weight_decay'],
  adam: ['beta1', 'beta2', 'eps', 'weight_decay'],
};

class Reader {
  readonly problems: Diagnostic[] = [];
  constructor(private readonly modelSpan?: Span) {}

  fail(message: string, span?: Span, hint?: string): undefined {
    this.problems.push(
      error('train/config', message, span ?? this.modelSpan, hint ? { hint } : {}),
    );
    return undefined;
  }

  number(
    key: string,
    value: AttrValue,
    span: Span | undefined,
    test: (v: number) => boolean,
    want: string,
  ): number | undefined {
    if (typeof value === 'number' && test(value)) return value;
    return this.fail(`\`${key}\` must be ${want}, got \`${String(value)}\``, span);
  }
}

export function readTrainConfig(graph: Graph, overrides: Overrides = {}): TrainConfig {
  const section: Readonly<Record<string, TrainingEntry>> = graph.training ?? {};
  const r = new Reader(graph.span);
  for (const [key, entry] of Object.entries(section)) {
    if (!KEYS.includes(key)) {
      r.fail(
        `unknown training key \`${key}\``,
        entry.span,
        didYouMean(key, KEYS) ?? `known keys: ${KEYS.join(', ')}`,
      );
    }
  }
  const positive = (v: number) => v > 0 && Number.isFinite(v);
  const count = (v: number) => Number.isInteger(v) && v >= 1;
  const value = <T>(key: string, read: (e: TrainingEntry) => T | undefined): T | undefined => {
    const e = section[key];
    return e ? read(e) : undefined;
  };

  const loss =
    overrides.loss ??
    value('loss', (e) => {
      const name = LOSSES[String(e.value)];
      if (!name) {
        return r.fail(
          `unknown loss \`${String(e.value)}\``,
          e.span,
          didYouMean(String(e.value), Object.keys(LOSSES)) ?? 'losses: cross_entropy, mse, bce',
        );
      }
      return name;
    });
  const opt = section['optimizer'];
  let kind: OptimizerName = overrides.optimizer ?? 'sgd';
  if (!overrides.optimizer && opt) {
    if (opt.value === 'sgd' || opt.value === 'adam') kind = opt.value;
    else r.fail(`unknown optimizer \`${String(opt.value)}\``, opt.span, 'optimizers: sgd, adam');
  }
  const options =
    opt && (opt.value === kind || overrides.optimizer === undefined) ? opt.options : {};
  for (const name of Object.keys(options)) {
    if (!OPTIMIZER_OPTIONS[kind].includes(name)) {
      r.fail(
        `\`${kind}\` has no option \`${name}\``,
        opt?.span,
        didYouMean(name, OPTIMIZER_OPTIONS[kind]) ??
          `its options: ${OPTIMIZER_OPTIONS[kind].join(', ')}`,
      );
    }
  }
  const option = (name: string, fallback: number, test: (v: number) => boolean, want: string) =>
    options[name] === undefined
      ? fallback
      : (r.number(name, options[name]!, opt?.span, test, want) ?? fallback);
  const unit = (v: number) => v >= 0 && v < 1;
  const optimizer: OptimizerConfig = {
    kind,
    lr:
      overrides.lr ??
      value('lr', (e) => r.number('lr', e.value, e.span, positive, 'a positive number')) ??
      (kind === 'adam' ? 1e-3 : 0.01),
    momentum: option('momentum', 0, unit, 'in [0, 1)'),
    weightDecay: option('weight_decay', 0, (v) => v >= 0, 'non-negative'),
    beta1: option('beta1', 0.9, unit, 'in [0, 1)'),
    beta2: option('beta2', 0.999, unit, 'in [0, 1)'),
    eps: option('eps', 1e-8, positive, 'positive'),
  };
  const batchSize =
    overrides.batchSize ??
    value('batch_size', (e) =>
      r.number('batch_size', e.value, e.span, count, 'a positive integer'),
    ) ??
    32;
  const epochs =
    overrides.epochs ??
    value('epochs', (e) => r.number('epochs', e.value, e.span, count, 'a positive integer')) ??
    1;
  const seed =
    overrides.seed ??
    value('seed', (e) => r.number('seed', e.value, e.span, Number.isInteger, 'an integer')) ??
    0;
  if (!loss && r.problems.length === 0) {
    r.fail(
      `model \`${graph.name}\` names no loss`,
      graph.span,
      'add `train { loss cross_entropy }` to the model, or pass --loss',
    );
  }
  if (r.problems.length) {
    const n = r.problems.length;
    throw new TrainError(
      `the training settings have ${n} problem${n === 1 ? '' : 's'}`,
      r.problems,
    );
  }
  return { loss: loss!, optimizer, batchSize, epochs, seed };
}
