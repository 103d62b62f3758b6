/**
 * Shared steps of the ONNX tests: compile an example, give it seeded non-trivial weights, export
 * it, run the file in onnxruntime and the graph on Kiln's CPU backend, and compare.
 *
 * Tolerance: |ort - kiln| <= 1e-5 * max(1, max |kiln|) over the whole output. Both runtimes
 * compute in float32 with different summation orders (ORT's blocked GEMM vs Kiln's), so
 * elementwise relative error near zero is meaningless; scaled by the output's size, 1e-5 is
 * still ~100 float32 ulps, far below any real mistake (a wrong pad, divisor or layout moves
 * values by 1e-2 or more).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ort } from '../../packages/onnx/test/ort.js';
import { cpuBackend } from '../../packages/backend-cpu/src/index.js';
import type { Graph, Shape, Tensor, Weights } from '../../packages/core/src/index.js';
import { Rng, checkGraph, expectedParams, hasErrors } from '../../packages/core/src/index.js';
import { compile } from '../../packages/dsl/src/index.js';

export const TOLERANCE = 1e-5;
const root = fileURLToPath(new URL('../..', import.meta.url));

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'kiln-onnx-'));
}

export function loadExample(name: string): Graph {
  const file = join(root, 'examples', `${name}.kiln`);
  const result = compile(readFileSync(file, 'utf8'), file);
  if (hasErrors(result.diagnostics) || !result.graph) {
    throw new Error(`${name}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  }
  return result.graph;
}

/** A model written in the Kiln language, compiled (tests state small graphs this way). */
export function fromSource(source: string, file = 'test.kiln'): Graph {
  const result = compile(source, file);
  if (hasErrors(result.diagnostics) || !result.graph) {
    throw new Error(`${file}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  }
  return result.graph;
}

export function shapesOf(graph: Graph): ReadonlyMap<string, Shape> {
  const { shapes, diagnostics } = checkGraph(graph);
  if (hasErrors(diagnostics)) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return shapes;
}

/**
 * Seeded weights in which every tensor is non-trivial (unlike initialisation's zero biases and
 * unit statistics), so an export that drops a bias or swaps batchnorm's statistics shows up.
 * Filled in a plain loop: VGG-16's 138M values take a second this way.
 */
export function randomWeights(graph: Graph, seed: number): Weights {
  const shapes = shapesOf(graph);
  const weights = new Map<string, Tensor>();
  for (const { name, node, spec } of expectedParams(graph, shapes)) {
    const rng = Rng.forTensor(seed, name);
    const data = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
    const norm = node.op === 'batchnorm';
    // Running variances in [0.5, 2), scales in [0.5, 1.5), other statistics in [-1, 1); fan
    // tensors uniform with variance 1 / fanIn, which keeps activations of order 1 through depth.
    const [lo, width] =
      norm && spec.name === 'running_var'
        ? [0.5, 1.5]
        : norm && spec.name === 'weight'
          ? [0.5, 1]
          : norm
            ? [-1, 2]
            : [-Math.sqrt(3 / spec.fanIn), 2 * Math.sqrt(3 / spec.fanIn)];
    for (let i = 0; i < data.length; i++) data[i] = lo + width * rng.uniform();
    weights.set(name, { dtype: 'f32', shape: [...spec.shape], data });
  }
  return weights;
}

/** Seeded uniform [-1, 1) inputs for every model input, symbolic dims bound by `dims`. */
export function randomInputs(
  graph: Graph,
  seed: number,
  dims: Readonly<Record<string, number>> = { N: 1 },
): Record<string, Tensor> {
  const inputs: Record<string, Tensor> = {};
  for (const node of graph.nodes.filter((n) => n.op === 'input')) {
    const declared = node.attrs['shape'] as readonly (number | string)[];
    const shape = declared.map((d) => (typeof d === 'number' ? d : dims[d]!));
    const rng = Rng.forTensor(seed, node.name);
    const count = shape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from({ length: count }, () => 2 * rng.uniform() - 1);
    inputs[node.name] = { dtype: 'f32', shape, data };
  }
  return inputs;
}

export async function runKiln(
  graph: Graph,
  weights: Weights,
  inputs: Record<string, Tensor>,
): Promise<Record<string, Tensor>> {
  const session = await cpuBackend.compile(graph, weights);
  return session.run(inputs);
}

/** Runs an ONNX file (a path, so external data beside it is found) or bytes in onnxruntime. */
export async function runOrt(
  model: string | Uint8Array,
  inputs: Record<string, Tensor>,
): Promise<Record<string, Tensor>> {
  const options = { intraOpNumThreads: 1 };
  const session =
    typeof model === 'string'
      ? await ort.InferenceSession.create(model, options)
      : await ort.InferenceSession.create(model, options);
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
  for (const [name, t] of Object.entries(inputs)) {
    feeds[name] = new ort.Tensor('float32', t.data, [...t.shape]);
  }
  const results = await session.run(feeds);
  const out: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(results)) {
    out[name] = { dtype: 'f32', shape: t.dims.map(Number), data: t.data as Float32Array };
  }
  await session.release();
  return out;
}

/** max |got - want| / max(1, max |want|); Infinity on a shape mismatch. */
export function scaledError(got: Tensor, want: Tensor): number {
  if (got.shape.join() !== want.shape.join()) return Infinity;
  let scale = 1;
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) {
    scale = Math.max(scale, Math.abs(want.data[i]!));
    const d = Math.abs(got.data[i]! - want.data[i]!);
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst / scale;
}

export function writeModel(dir: string, name: string, bytes: Uint8Array): string {
  const path = join(dir, `${name}.onnx`);
  writeFileSync(path, bytes);
  return path;
}
