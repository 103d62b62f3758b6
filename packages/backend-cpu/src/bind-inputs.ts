/**
 * Binds a run's input tensors to the graph: core's input contract (`checkRunInputs`: names,
 * dtype, shapes and symbols, data length, finite values), every problem at once as one
 * DiagnosticError coded `cpu/...`; then core's shape inference with the concrete input shapes,
 * so every tensor gets a concrete shape.
 */
import { DiagnosticError, checkRunInputs, concreteShapes, inputDiagnostic } from '@kiln/core';
import type { Graph, Tensor } from '@kiln/core';

export interface BoundShapes {
  /** The concrete shape of every tensor. */
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  /** A key for caching per-shape plans: the input shapes, in declaration order. */
  readonly key: string;
}

export function bindInputs(
  graph: Graph,
  inputs: Readonly<Record<string, Tensor>>,
  dims: Readonly<Record<string, number>>,
): BoundShapes {
  const { problems, inputShapes, key } = checkRunInputs(graph, inputs, dims);
  if (problems.length)
    throw new DiagnosticError(problems.map((p) => inputDiagnostic(`cpu/${p.kind}`, p)));
  return { shapes: concreteShapes(graph, inputShapes, 'cpu'), key };
}
