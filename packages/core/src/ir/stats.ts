/**
 * Per-layer statistics: output shape, parameters, MACs. Parameters count learnable tensors only
 * (as torchvision does: batchnorm running statistics are buffers). MACs are per sample, and only
 * linear layers (conv, dense) count: the figure papers quote as "conv + dense MACs".
 */
import { getOp } from '../ops/registry.js';
import type { Graph, Shape } from './types.js';

export interface LayerStats {
  readonly name: string;
  readonly op: string;
  readonly shape: Shape;
  readonly params: number;
  /** Non-learnable stored values (running statistics). */
  readonly buffers: number;
  /** Per sample; undefined when a dimension is symbolic. */
  readonly macs: number | undefined;
  readonly frozen: boolean;
}

export interface ModelStats {
  readonly layers: readonly LayerStats[];
  readonly totalParams: number;
  readonly trainableParams: number;
  readonly totalBuffers: number;
  readonly totalMacs: number | undefined;
  readonly denseParams: number;
  readonly convParams: number;
  /** denseParams / totalParams (0 when the model has no parameters). */
  readonly denseShare: number;
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Statistics of a graph that checked cleanly; `shapes` comes from `checkGraph`. */
export function modelStats(graph: Graph, shapes: ReadonlyMap<string, Shape>): ModelStats {
  const layers: LayerStats[] = [];
  for (const node of graph.nodes) {
    const op = getOp(node.op);
    const shape = shapes.get(node.name);
    if (!op || !shape) throw new Error(`modelStats: \`${node.name}\` was not checked`);
    const inputs = node.inputs.map((n) => shapes.get(n)!);
    const params = op.params(inputs, node.attrs);
    const macs = op.category === 'linear' ? op.macs(inputs, shape, node.attrs) : 0;
    layers.push({
      name: node.name,
      op: node.op,
      shape,
      params: params.filter((p) => p.learnable).reduce((a, p) => a + count(p.shape), 0),
      buffers: params.filter((p) => !p.learnable).reduce((a, p) => a + count(p.shape), 0),
      macs,
      frozen: node.frozen === true,
    });
  }
  const sum = (pick: (l: LayerStats) => number) => layers.reduce((a, l) => a + pick(l), 0);
  const totalParams = sum((l) => l.params);
  const denseParams = sum((l) => (l.op === 'dense' ? l.params : 0));
  return {
    layers,
    totalParams,
    trainableParams: sum((l) => (l.frozen ? 0 : l.params)),
    totalBuffers: sum((l) => l.buffers),
    totalMacs: layers.some((l) => l.macs === undefined) ? undefined : sum((l) => l.macs ?? 0),
    denseParams,
    convParams: sum((l) => (l.op === 'conv' ? l.params : 0)),
    denseShare: totalParams === 0 ? 0 : denseParams / totalParams,
  };
}
