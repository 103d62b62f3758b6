/**
 * Loss and accuracy of a model on a data set, in inference form (dropout off, batchnorm with
 * running statistics). The loss is core's loss op appended to the model graph, so the
 * evaluation runs on the training backend and agrees with training's loss to the bit.
 */
import type { Backend, Graph, Weights } from '@kiln/core';
import type { Dataset } from './data/dataset.js';
import { sampleSize } from './data/dataset.js';
import { gather } from './batches.js';
import type { BoundLoss } from './loss.js';
import type { ModelInput } from './model-input.js';

export interface Metrics {
  readonly loss: number;
  readonly accuracy: number;
}

export function evalGraph(graph: Graph, loss: BoundLoss, width: number): Graph {
  const target = '@target';
  return {
    ...graph,
    nodes: [
      ...graph.nodes,
      { name: target, op: 'input', inputs: [], attrs: { shape: ['N', width], dtype: 'f32' } },
      { name: '@loss', op: loss.kind, inputs: [loss.prediction, target], attrs: {} },
    ],
    outputs: ['@loss', loss.prediction],
  };
}

/** Whether the prediction row for one sample names its label. */
export function correct(loss: BoundLoss, row: Float32Array, label: number): boolean {
  if (loss.width === 1) {
    return loss.name === 'bce' ? (row[0]! > 0 ? 1 : 0) === label : Math.abs(row[0]! - label) < 0.5;
  }
  let best = 0;
  for (let k = 1; k < row.length; k++) if (row[k]! > row[best]!) best = k;
  return best === label;
}

export async function evaluate(
  backend: Backend,
  graph: Graph,
  weights: Weights,
  loss: BoundLoss,
  input: ModelInput,
  data: Dataset,
  batchSize: number,
): Promise<Metrics> {
  const session = await backend.compile(evalGraph(graph, loss, loss.width), weights);
  const size = sampleSize(data);
  let total = 0;
  let right = 0;
  for (let start = 0; start < data.count; start += batchSize) {
    const n = Math.min(batchSize, data.count - start);
    const features = new Float32Array(n * size);
    const labels = new Int32Array(n);
    const indices = Array.from({ length: n }, (_, i) => start + i);
    gather(data, indices, features, labels);
    const target = new Float32Array(n * loss.width);
    loss.encode(labels, target);
    const out = await session.run({
      [input.name]: { dtype: 'f32', shape: [n, ...input.sample], data: features },
      '@target': { dtype: 'f32', shape: [n, loss.width], data: target },
    });
    total += out['@loss']!.data[0]! * n;
    const pred = out[loss.prediction]!.data;
    for (let b = 0; b < n; b++) {
      if (correct(loss, pred.subarray(b * loss.width, (b + 1) * loss.width), labels[b]!)) right++;
    }
  }
  return { loss: total / data.count, accuracy: right / data.count };
}
