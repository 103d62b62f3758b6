/**
 * Which nodes become work, decided once per compiled graph:
 * - an alias node (flatten, reshape, inference dropout, reshape_as) does nothing: its tensor is
 *   its input's storage under another shape;
 * - an activation whose only input is produced by a kernel that accepts an epilogue (conv, dense,
 *   batchnorm, add) is fused into it when nothing else reads that producer's output and the
 *   graph does not return it: the producer stores the activated value straight away, and the
 *   intermediate tensor never exists;
 * - every other node is one step.
 * In training graphs the backward pass usually reads a pre-activation (relu_grad reads x), which
 * keeps such pairs apart by the same rule.
 */
import type { Graph, Node } from '@kiln/core';
import type { BoundKernel } from './kernels/types.js';
import { ACTIVATIONS } from './wgsl/activation.js';

export interface Step {
  /** Index of the node whose kernel runs. */
  readonly node: number;
  /** An activation node fused into it. */
  readonly activation?: Node;
  /** The tensor the step writes: the activation's when fused, else the node's. */
  readonly output: string;
}

export interface Schedule {
  readonly steps: readonly Step[];
  /** The tensor whose storage each tensor lives in (itself, unless it is an alias). */
  readonly root: ReadonlyMap<string, string>;
  /** Tensors fused away (computed inside another step, never stored). */
  readonly fused: ReadonlySet<string>;
}

export function schedule(graph: Graph, bound: ReadonlyMap<string, BoundKernel>): Schedule {
  const readers = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    for (const name of new Set(node.inputs))
      readers.set(name, [...(readers.get(name) ?? []), node]);
  }
  const outputs = new Set(graph.outputs);
  const root = new Map<string, string>();
  const fused = new Set<string>();
  const steps: Step[] = [];
  const fusedInto = new Map<string, Node>();
  graph.nodes.forEach((node) => {
    const kernel = bound.get(node.name);
    if (!kernel || !kernel.fusesActivation || outputs.has(node.name)) return;
    const only = readers.get(node.name);
    const next = only?.length === 1 ? only[0]! : undefined;
    if (next && ACTIVATIONS.has(next.op) && next.inputs.length === 1)
      fusedInto.set(node.name, next);
  });
  const absorbed = new Set([...fusedInto.values()].map((n) => n.name));
  graph.nodes.forEach((node, i) => {
    if (node.op === 'input') {
      root.set(node.name, node.name);
      return;
    }
    const kernel = bound.get(node.name)!;
    if (kernel.alias) {
      root.set(node.name, root.get(node.inputs[0]!)!);
      return;
    }
    if (absorbed.has(node.name)) return;
    const activation = fusedInto.get(node.name);
    const out = activation ? activation.name : node.name;
    if (activation) fused.add(node.name);
    root.set(out, out);
    steps.push(activation ? { node: i, activation, output: out } : { node: i, output: out });
  });
  return { steps, root, fused };
}
