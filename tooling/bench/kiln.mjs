// Kiln as a user meets it: .kiln text compiled by @kiln/dsl, seeded weights from @kiln/core,
// and a session on the CPU backend.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { initWeights } from '@kiln/core';
import { compile } from '@kiln/dsl';
import { cpuBackend } from '@kiln/backend-cpu';
import { seededUniform, sizeOf } from './data.mjs';

export const WEIGHT_SEED = 42;

/** Compiles .kiln text; any diagnostic is a broken benchmark, not something to time around. */
export function compileKiln(source, file) {
  const result = compile(source, file);
  if (result.diagnostics.length) {
    const text = result.diagnostics.map((d) => d.message).join('; ');
    throw new Error(`${file}: ${text}`);
  }
  return result;
}

export function loadExample(root, name) {
  const file = `examples/${name}.kiln`;
  return { file, source: readFileSync(resolve(root, file), 'utf8') };
}

/** The example's graph, shapes and seeded weights. */
export function exampleModel(root, name) {
  const { file, source } = loadExample(root, name);
  const { graph, shapes } = compileKiln(source, file);
  return { graph, shapes, weights: initWeights(graph, shapes, WEIGHT_SEED) };
}

/** Seeded inputs for every graph input, the batch (and any symbol) bound to 1. */
export function seededInputs(graph, seed = 7) {
  const inputs = {};
  for (const node of graph.nodes.filter((n) => n.op === 'input')) {
    const shape = node.attrs.shape.map((d) => (typeof d === 'number' ? d : 1));
    const data = seededUniform(sizeOf(shape), `input.${node.name}`, seed);
    inputs[node.name] = { dtype: 'f32', shape, data };
  }
  return inputs;
}

export const kilnSession = (graph, weights) => cpuBackend.compile(graph, weights);

/** The first output of a session run. */
export async function runFirst(session, graph, inputs) {
  const out = await session.run(inputs);
  return out[graph.outputs[0]];
}
