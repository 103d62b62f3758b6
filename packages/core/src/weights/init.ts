/**
 * Seeded initialisation. `fan` tensors get He (Kaiming normal, std = sqrt(2 / fanIn)) when the
 * layer feeds a rectifier, because a ReLU halves the variance and He's factor 2 restores it;
 * every other `fan` tensor gets Xavier (Glorot uniform, limit = sqrt(6 / (fanIn + fanOut))),
 * which keeps variance through roughly linear activations (tanh, sigmoid, none). `zeros` and
 * `ones` tensors are filled as named. Each tensor draws from its own stream keyed by
 * (seed, tensor name), so adding or removing a layer leaves the other tensors unchanged.
 */
import type { Tensor } from '../backend/types.js';
import type { Graph, Node, Shape } from '../ir/types.js';
import { expectedParams } from './params.js';
import { Rng } from './prng.js';

const RECTIFIERS = new Set(['relu', 'leaky_relu']);

export type InitScheme = 'he' | 'xavier';

/** The nodes reading each tensor. */
export function consumerMap(graph: Graph): Map<string, Node[]> {
  const consumers = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    for (const input of node.inputs) {
      const list = consumers.get(input) ?? [];
      list.push(node);
      consumers.set(input, list);
    }
  }
  return consumers;
}

/**
 * He when a consumer of `layer` is a rectifier, or a batchnorm whose consumer is one
 * (conv -> batchnorm -> relu); Xavier otherwise.
 */
export function initScheme(
  graph: Graph,
  layer: string,
  consumers: ReadonlyMap<string, readonly Node[]> = consumerMap(graph),
): InitScheme {
  const feedsRectifier = (name: string, throughBatchnorm: boolean): boolean =>
    (consumers.get(name) ?? []).some(
      (c) =>
        RECTIFIERS.has(c.op) ||
        (throughBatchnorm && c.op === 'batchnorm' && feedsRectifier(c.name, false)),
    );
  return feedsRectifier(layer, true) ? 'he' : 'xavier';
}

/** Fills `count` floats from the stream of `name`. */
export function fanValues(
  seed: number,
  name: string,
  count: number,
  scheme: InitScheme,
  fanIn: number,
  fanOut: number,
): Float32Array {
  const rng = Rng.forTensor(seed, name);
  const out = new Float32Array(count);
  if (scheme === 'he') {
    const std = Math.sqrt(2 / fanIn);
    for (let i = 0; i < count; i++) out[i] = rng.normal() * std;
  } else {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < count; i++) out[i] = (2 * rng.uniform() - 1) * limit;
  }
  return out;
}

/** Weights for every parameter and buffer of a checked graph. */
export function initWeights(
  graph: Graph,
  shapes: ReadonlyMap<string, Shape>,
  seed: number,
): Map<string, Tensor> {
  const weights = new Map<string, Tensor>();
  const consumers = consumerMap(graph);
  for (const { name, node, spec } of expectedParams(graph, shapes)) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (spec.init === 'zeros') data = new Float32Array(count);
    else if (spec.init === 'ones') data = new Float32Array(count).fill(1);
    else {
      const scheme = initScheme(graph, node.name, consumers);
      data = fanValues(seed, name, count, scheme, spec.fanIn, spec.fanOut);
    }
    weights.set(name, { dtype: 'f32', shape: [...spec.shape], data });
  }
  return weights;
}
