/**
 * Comparison steps shared by the WASM tests in Node and in the browser page (test/browser), so
 * no Node built-ins: seeded inputs, the scaled error, one run on a backend.
 *
 * Tolerance: |wasm - cpu| <= 1e-5 * max(1, max |cpu|) over the whole output, the scale the
 * ONNX tests use. Both backends compute in float32 with different summation orders (the WASM
 * GEMM blocks depth by 256 and adds in f32x4 lanes), so elementwise relative error near zero
 * means nothing; a real mistake (a wrong tap, pad, layout or packed offset) moves values by 1e-2
 * or more.
 */
import type { Backend, Graph, Tensor, Weights } from '../../packages/core/src/index.js';
import { Rng } from '../../packages/core/src/index.js';

export const TOLERANCE = 1e-5;

/** Seeded uniform [-1, 1) inputs with the batch bound to `batch`. */
export function seededInputs(graph: Graph, batch: number, seed = 5): Record<string, Tensor> {
  const inputs: Record<string, Tensor> = {};
  for (const node of graph.nodes.filter((n) => n.op === 'input')) {
    const shape = (node.attrs['shape'] as (number | string)[]).map((d) =>
      typeof d === 'number' ? d : batch,
    );
    const rng = Rng.forTensor(seed, node.name);
    const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
      return 2 * rng.uniform() - 1;
    });
    inputs[node.name] = { dtype: 'f32', shape, data };
  }
  return inputs;
}

/** max |got - want| / max(1, max |want|) over one output. */
export function scaledError(got: Tensor, want: Tensor): number {
  if (got.shape.join() !== want.shape.join()) return Infinity;
  let scale = 1;
  for (const v of want.data) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) {
    const e = Math.abs(got.data[i]! - want.data[i]!);
    worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
  }
  return worst / scale;
}

/** Runs `graph` once on `backend`; outputs in the graph's output order. */
export async function runOn(
  backend: Backend,
  graph: Graph,
  weights: Weights,
  inputs: Record<string, Tensor>,
): Promise<Tensor[]> {
  const session = await backend.compile(graph, weights);
  const out = await session.run(inputs);
  return graph.outputs.map((name) => out[name]!);
}
