import { encodeSafetensors } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';
import type { TrainState } from './checkpoint.js';

const state: TrainState = {
  epoch: 1,
  batch: 2,
  step: 3,
  seed: 4,
  optimizer: 'adam',
  weights: new Map([['fc.weight', { dtype: 'f32', shape: [2], data: Float32Array.of(1, 2) }]]),
  slots: new Map([['fc.weight/m', Float32Array.of(0.5, 0.25)]]),
  optimizerSteps: 3,
};

/** A checkpoint whose metadata field `key` is written as `text`. */
function withField(key: string, text: string): Uint8Array {
  const meta: Record<string, string> = {
    format: 'kiln-checkpoint-1',
    epoch: '1',
    batch: '2',
    step: '3',
    seed: '4',
    optimizer: 'adam',
    optimizer_steps: '3',
    [key]: text,
  };
  return encodeSafetensors(state.weights, meta);
}

describe('checkpoints', () => {
  it('round-trip', () => {
    const back = decodeCheckpoint('c', encodeCheckpoint(state));
    expect(back).toEqual(state);
  });

  it('refuse integer fields that are not plain decimal digits, naming the field', () => {
    for (const text of [
      '0x10',
      '0b1',
      '',
      ' ',
      '1e3',
      '-1',
      '1.5',
      'Infinity',
      '9007199254740993',
    ]) {
      expect(() => decodeCheckpoint('c.ckpt', withField('epoch', text))).toThrow(
        `c.ckpt: bad checkpoint field \`epoch\`: \`${text}\` is not a non-negative integer`,
      );
    }
    const missing = encodeSafetensors(state.weights, { format: 'kiln-checkpoint-1' });
    expect(() => decodeCheckpoint('c.ckpt', missing)).toThrow(
      'c.ckpt: bad checkpoint field `epoch`: missing',
    );
    expect(decodeCheckpoint('c', withField('batch_size', '064')).batchSize).toBe(64);
  });

  it('name the file when its safetensors header is at fault', () => {
    const bytes = encodeCheckpoint(state);
    const length = new DataView(bytes.buffer).getUint32(0, true);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    // The slot renamed to the weight's name, padded to the same length: a tensor named twice.
    const renamed = header.replace('"@optimizer/fc.weight/m"', '"fc.weight"'.padEnd(24));
    const twice = bytes.slice();
    twice.set(new TextEncoder().encode(renamed), 8);
    expect(() => decodeCheckpoint('c.ckpt', twice)).toThrow(
      /^c\.ckpt: not a readable checkpoint: safetensors: the header names `fc\.weight` twice/,
    );
  });
});
