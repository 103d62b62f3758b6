/**
 * How data samples feed the model's one input: a sample's values are read in the input's own
 * per-sample shape (an IDX image [28, 28] feeds `f32[N, 1, 28, 28]` or `f32[N, 784]`), so only
 * the element counts must agree. A model with a fixed batch size trains with exactly that size.
 */
import type { Graph, Node, Shape } from '@kiln/core';
import { error, formatShape } from '@kiln/core';
import type { Dataset } from './data/dataset.js';
import { sampleSize } from './data/dataset.js';
import { TrainError } from './errors.js';

export interface ModelInput {
  readonly name: string;
  /** Shape of one sample, without the batch. */
  readonly sample: readonly number[];
  /** The batch size the model fixes, if it does. */
  readonly fixedBatch?: number;
}

function refuse(node: Node | undefined, message: string): never {
  throw new TrainError(message, [error('train/input', message, node?.span)]);
}

export function modelInput(graph: Graph): ModelInput {
  const inputs = graph.nodes.filter((n) => n.op === 'input');
  if (inputs.length !== 1) {
    refuse(
      inputs[1],
      `training needs a model with one input; \`${graph.name}\` has ${inputs.length}`,
    );
  }
  const node = inputs[0]!;
  const shape = node.attrs['shape'] as Shape;
  const sample = shape.slice(1);
  if (!sample.every((d): d is number => typeof d === 'number')) {
    refuse(
      node,
      `input \`${node.name}\` ${formatShape(shape)}: training needs every dimension but the batch known`,
    );
  }
  const batch = shape[0];
  return { name: node.name, sample, ...(typeof batch === 'number' ? { fixedBatch: batch } : {}) };
}

export function checkFits(input: ModelInput, data: Dataset): void {
  const want = input.sample.reduce((a, b) => a * b, 1);
  const have = sampleSize(data);
  // Images ([h, w] per sample) must have the model's height and width, not only as many pixels:
  // 14x56 images fed to a 28x28 model would train on scrambled pictures.
  const spatial = data.sampleShape.length >= 2 && input.sample.length >= 2;
  const [h, w] = data.sampleShape.slice(-2);
  const [mh, mw] = input.sample.slice(-2);
  if (want !== have || (spatial && (h !== mh || w !== mw))) {
    throw new TrainError(
      `${data.source}: each sample has ${have} values ([${data.sampleShape.join(', ')}]), but input \`${input.name}\` takes ${want} per sample ([${input.sample.join(', ')}])`,
    );
  }
}
