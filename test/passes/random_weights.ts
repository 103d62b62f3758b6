/**
 * Seeded weights for numeric pass checks. Unlike the library's initialisation (zero biases, unit
 * statistics), every tensor here is non-trivial, so a rewrite that mishandles a bias or a running
 * statistic shows up as a difference.
 */
import type { Graph, Tensor, Weights } from '../../packages/core/src/index.js';
import { Rng, checkGraph, expectedParams } from '../../packages/core/src/index.js';

export function randomWeights(graph: Graph, seed: number): Weights {
  const { shapes } = checkGraph(graph);
  const weights = new Map<string, Tensor>();
  for (const { name, node, spec } of expectedParams(graph, shapes)) {
    const rng = Rng.forTensor(seed, name);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const u = () => rng.uniform();
    const norm = node.op === 'batchnorm';
    const draw: () => number =
      norm && spec.name === 'running_var'
        ? () => 0.5 + 1.5 * u()
        : norm && spec.name === 'weight'
          ? () => 0.5 + u()
          : norm
            ? () => 2 * u() - 1
            : () => (2 * u() - 1) * Math.sqrt(3 / spec.fanIn);
    const data = Float32Array.from({ length: count }, draw);
    weights.set(name, { dtype: 'f32', shape: [...spec.shape], data });
  }
  return weights;
}
