/**
 * Binds a run's input tensors to the graph: core's input contract (`checkRunInputs`: names,
 * dtype, shapes and symbols, data length), every problem at once as one DiagnosticError coded
 * `wasm/input`. Values are not scanned here: the session scans for NaN and ±Inf in wasm once the
 * data is copied in. Shape inference over the whole graph (core's `concreteShapes`) is left to
 * the caller, who needs it only for input shapes it has not seen.
 */
import { DiagnosticError, checkRunInputs, inputDiagnostic } from '@kiln/core';
import type { Graph, Tensor } from '@kiln/core';

export interface CheckedInputs {
  /** Each declared input's shape. */
  readonly inputShapes: ReadonlyMap<string, readonly number[]>;
  /** The input shapes in declaration order: the key of a cached layout. */
  readonly key: string;
}

export function checkInputs(
  graph: Graph,
  inputs: Readonly<Record<string, Tensor>>,
  dims: Readonly<Record<string, number>>,
): CheckedInputs {
  const { problems, inputShapes, key } = checkRunInputs(graph, inputs, dims, { scanValues: false });
  if (problems.length)
    throw new DiagnosticError(problems.map((p) => inputDiagnostic('wasm/input', p)));
  return { inputShapes, key };
}
