/**
 * Binds a loss to a model: which tensor it reads, and how labels become targets.
 *
 * - `cross_entropy` needs class scores [N, K], K ≥ 2. It is fused with softmax (core's
 *   `softmax_cross_entropy`), so a model that ends in `softmax` is trained on the softmax's
 *   input: the same loss, without the log of a rounded probability.
 * - `bce` needs one score per sample [N, 1] and labels 0 or 1; likewise fused with a final
 *   `sigmoid`.
 * - `mse` compares any output with a target of its shape: one-hot labels for [N, K], the label
 *   itself for [N, 1].
 */
import type { Graph, LossKind, Shape, Span } from '@kiln/core';
import { error, formatShape } from '@kiln/core';
import type { LossName } from './config.js';
import { TrainError } from './errors.js';

export interface BoundLoss {
  readonly name: LossName;
  readonly kind: LossKind;
  /** The tensor the loss reads (logits for the fused losses). */
  readonly prediction: string;
  /** Values per sample of the prediction (classes, or 1). */
  readonly width: number;
  /** Writes the targets of `labels` into `out` ([n, width]). */
  readonly encode: (labels: ArrayLike<number>, out: Float32Array) => void;
}

function misfit(graph: Graph, message: string, span?: Span): never {
  throw new TrainError(message, [error('train/loss-shape', message, span ?? graph.span)]);
}

export function bindLoss(
  graph: Graph,
  shapes: ReadonlyMap<string, Shape>,
  name: LossName,
): BoundLoss {
  if (graph.outputs.length !== 1) {
    misfit(
      graph,
      `training needs a model with one output; \`${graph.name}\` has ${graph.outputs.length}`,
    );
  }
  const output = graph.outputs[0]!;
  const node = graph.nodes.find((n) => n.name === output)!;
  const shape = shapes.get(output)!;
  const width = shape[1];
  if (shape.length !== 2 || typeof width !== 'number') {
    misfit(
      graph,
      `the ${name} loss needs an output [N, K]; \`${output}\` is ${formatShape(shape)}`,
      node.span,
    );
  }
  const fused = (op: string) =>
    node.op === op && (op !== 'softmax' || [1, -1].includes(node.attrs['axis'] as number))
      ? node.inputs[0]!
      : output;
  const oneHot = (labels: ArrayLike<number>, out: Float32Array) => {
    out.fill(0);
    for (let i = 0; i < labels.length; i++) out[i * width + labels[i]!] = 1;
  };
  const scalar = (labels: ArrayLike<number>, out: Float32Array) => {
    for (let i = 0; i < labels.length; i++) out[i] = labels[i]!;
  };
  if (name === 'cross_entropy') {
    if (width < 2) {
      misfit(
        graph,
        `cross_entropy needs scores for 2 or more classes; \`${output}\` is ${formatShape(shape)}`,
        node.span,
      );
    }
    return {
      name,
      kind: 'softmax_cross_entropy',
      prediction: fused('softmax'),
      width,
      encode: oneHot,
    };
  }
  if (name === 'bce') {
    if (width !== 1) {
      misfit(
        graph,
        `bce needs one score per sample [N, 1]; \`${output}\` is ${formatShape(shape)}`,
        node.span,
      );
    }
    return { name, kind: 'sigmoid_bce', prediction: fused('sigmoid'), width, encode: scalar };
  }
  return {
    name,
    kind: 'mse_loss',
    prediction: output,
    width,
    encode: width === 1 ? scalar : oneHot,
  };
}

/** Checks that every label fits the loss; names the first that does not. */
export function checkLabels(loss: BoundLoss, labels: Int32Array, source: string): void {
  const limit = loss.name === 'bce' ? 2 : loss.width === 1 ? Infinity : loss.width;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= limit) {
      const what =
        loss.name === 'bce'
          ? 'bce needs labels 0 or 1'
          : `the model's output has ${loss.width} classes`;
      throw new TrainError(`${source}: label ${labels[i]} of sample ${i} does not fit: ${what}`);
    }
  }
}
