/** One-shot convenience: compile on the CPU backend and run once. Sessions are the main path. */
import type { CompileOptions, Graph, Tensor, Weights } from '@kiln/core';
import { cpuBackend } from './backend.js';

export async function runGraph(
  graph: Graph,
  weights: Weights,
  inputs: Readonly<Record<string, Tensor>>,
  options?: CompileOptions,
): Promise<Record<string, Tensor>> {
  const session = await cpuBackend.compile(graph, weights, options);
  return session.run(inputs);
}
