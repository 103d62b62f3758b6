/**
 * Checkpoints are safetensors files: the model's weights under their own names, the
 * optimizer's state under `@optimizer/<param>/<slot>`, and where training stood in the
 * metadata (epoch, batch within it, step, seed, optimizer). They are for resuming; the
 * weights file `kiln train -o` writes holds the model's weights only, as `kiln run` expects.
 */
import type { Tensor, Weights } from '@kiln/core';
import { decodeSafetensors, encodeSafetensors, safetensorsMetadata } from '@kiln/core';
import { TrainError } from './errors.js';

const PREFIX = '@optimizer/';

export interface TrainState {
  /** Epochs finished (0-based index of the epoch in progress). */
  readonly epoch: number;
  /** Batches of that epoch already trained on. */
  readonly batch: number;
  /** Optimizer steps taken in all. */
  readonly step: number;
  readonly seed: number;
  readonly optimizer: string;
  readonly weights: Weights;
  readonly slots: ReadonlyMap<string, Float32Array>;
  readonly optimizerSteps: number;
  /**
   * The batch size and the number of training samples the run had: resuming with others would
   * cut the epochs into other batches, so `batch` would no longer say where it stopped.
   * Checkpoints written before these were recorded leave them out.
   */
  readonly batchSize?: number;
  readonly samples?: number;
}

export function encodeCheckpoint(state: TrainState): Uint8Array {
  const all = new Map<string, Tensor>(state.weights);
  for (const [name, data] of state.slots) {
    all.set(`${PREFIX}${name}`, { dtype: 'f32', shape: [data.length], data });
  }
  return encodeSafetensors(all, {
    format: 'kiln-checkpoint-1',
    epoch: String(state.epoch),
    batch: String(state.batch),
    step: String(state.step),
    seed: String(state.seed),
    optimizer: state.optimizer,
    optimizer_steps: String(state.optimizerSteps),
    ...(state.batchSize !== undefined ? { batch_size: String(state.batchSize) } : {}),
    ...(state.samples !== undefined ? { samples: String(state.samples) } : {}),
  });
}

export function decodeCheckpoint(file: string, bytes: Uint8Array): TrainState {
  let tensors: Map<string, Tensor>;
  let meta: Record<string, string>;
  try {
    tensors = decodeSafetensors(bytes);
    meta = safetensorsMetadata(bytes);
  } catch (e) {
    throw new TrainError(`${file}: not a readable checkpoint: ${(e as Error).message}`);
  }
  if (meta['format'] !== 'kiln-checkpoint-1') {
    throw new TrainError(`${file}: not a Kiln training checkpoint (no checkpoint metadata)`);
  }
  // Decimal digits only: Number() would read `0x10` as 16 and an empty field as 0.
  const int = (key: string) => {
    const text = meta[key];
    const v = Number(text);
    if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(v)) {
      const got = text === undefined ? 'missing' : `\`${text}\` is not a non-negative integer`;
      throw new TrainError(`${file}: bad checkpoint field \`${key}\`: ${got}`);
    }
    return v;
  };
  const weights = new Map<string, Tensor>();
  const slots = new Map<string, Float32Array>();
  for (const [name, t] of tensors) {
    if (name.startsWith(PREFIX)) slots.set(name.slice(PREFIX.length), t.data);
    else weights.set(name, t);
  }
  return {
    epoch: int('epoch'),
    batch: int('batch'),
    step: int('step'),
    seed: int('seed'),
    optimizer: meta['optimizer'] ?? '',
    weights,
    slots,
    optimizerSteps: int('optimizer_steps'),
    ...(meta['batch_size'] !== undefined ? { batchSize: int('batch_size') } : {}),
    ...(meta['samples'] !== undefined ? { samples: int('samples') } : {}),
  };
}
