/**
 * Shared steps of the WASM end-to-end tests: compile an example, give it seeded non-trivial
 * weights, run it on the WASM backend and on the CPU reference, and compare (compare.ts).
 */
import { readFileSync } from 'node:fs';
import { cpuBackend } from '../../packages/backend-cpu/src/index.js';
import type { Graph, Tensor, Weights } from '../../packages/core/src/index.js';
import { hasErrors } from '../../packages/core/src/index.js';
import { compile } from '../../packages/dsl/src/index.js';
import { runOn } from './compare.js';

export { TOLERANCE, runOn, scaledError, seededInputs } from './compare.js';

export function loadExample(name: string): Graph {
  const file = new URL(`../../examples/${name}.kiln`, import.meta.url);
  const result = compile(readFileSync(file, 'utf8'), `${name}.kiln`);
  if (hasErrors(result.diagnostics) || !result.graph) {
    throw new Error(`${name}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  }
  return result.graph;
}

/** The CPU reference's outputs. */
export const reference = (graph: Graph, weights: Weights, inputs: Record<string, Tensor>) =>
  runOn(cpuBackend, graph, weights, inputs);
