/**
 * Mini-batches: a seeded shuffle per epoch (Fisher–Yates over xoshiro, core's Rng, so the
 * order is the same on every machine and a resumed run sees the same order), the gathering of
 * samples into one input tensor, and seeded dropout masks.
 */
import { Rng, streamKey } from '@kiln/core';
import type { Dataset } from './data/dataset.js';
import { sampleSize } from './data/dataset.js';

export function epochOrder(count: number, seed: number, epoch: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const rng = new Rng(streamKey(seed, `shuffle/${epoch}`));
  for (let i = count - 1; i > 0; i--) {
    const j = rng.nextU32() % (i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Copies the samples `indices` into `features` and their labels into `labels`. */
export function gather(
  data: Dataset,
  indices: ArrayLike<number>,
  features: Float32Array,
  labels: Int32Array,
): void {
  const size = sampleSize(data);
  for (let b = 0; b < indices.length; b++) {
    const i = indices[b]!;
    features.set(data.features.subarray(i * size, (i + 1) * size), b * size);
    labels[b] = data.labels[i]!;
  }
}

/** A 0/1 mask keeping each element with probability 1 − p, drawn for one node and step. */
export function dropoutMask(
  out: Float32Array,
  p: number,
  seed: number,
  node: string,
  step: number,
): void {
  const rng = new Rng(streamKey(seed, `dropout/${node}/${step}`));
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform() >= p ? 1 : 0;
}
