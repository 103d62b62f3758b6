/**
 * What every backend does with the caller's input arrays: it reads them when `run` is called,
 * so a caller that refills one array for the next run (while the first is queued behind
 * another) gets each run's own result; and data held in anything but a Float32Array is refused
 * by name instead of being reinterpreted byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../packages/backend-cpu/src/index.js';
import { wasmBackend } from '../../packages/backend-wasm/src/index.js';
import { webgpuBackend } from '../../packages/backend-webgpu/src/index.js';
import type { Backend, Graph, Tensor } from '../../packages/core/src/index.js';
import { hasErrors } from '../../packages/core/src/index.js';
import { compile } from '../../packages/dsl/src/index.js';
import { randomWeights } from '../passes/random_weights.js';
import { gpuProblem } from '../webgpu/gpu.js';

const { graph, diagnostics } = compile(
  'model m {\n  input x: f32[N, 6]\n  h = dense 5 tanh\n  y = dense 3\n}\n',
  'm.kiln',
);
if (hasErrors(diagnostics) || !graph) throw new Error('bad test model');
const net: Graph = graph;

// WebGPU where it runs (test/webgpu and the webgpu conformance tests fail in CI without it).
const backends: Backend[] = [cpuBackend, wasmBackend, ...(gpuProblem ? [] : [webgpuBackend])];

const values = (seed: number) => Float32Array.from({ length: 12 }, (_, i) => Math.sin(seed + i));

describe.each(backends.map((b) => [b.name, b] as const))('%s: run inputs', (_, backend) => {
  it('reads the inputs when run is called, not when the run starts', async () => {
    const session = await backend.compile(net, randomWeights(net, 1));
    const shared: Tensor = { dtype: 'f32', shape: [2, 6], data: values(1) };
    const first = session.run({ x: shared });
    shared.data.set(values(2));
    const second = session.run({ x: shared });
    const [a, b] = await Promise.all([first, second]);
    const alone = async (seed: number) =>
      (await session.run({ x: { dtype: 'f32', shape: [2, 6], data: values(seed) } }))['y']!;
    expect(a['y']!.data).toEqual((await alone(1)).data);
    expect(b['y']!.data).toEqual((await alone(2)).data);
  });

  it('refuses data that is not a Float32Array, naming its type', async () => {
    const session = await backend.compile(net, randomWeights(net, 1));
    const data = Float64Array.from(values(1)) as unknown as Float32Array;
    await expect(session.run({ x: { dtype: 'f32', shape: [2, 6], data } })).rejects.toThrow(
      'input `x` must hold its values in a Float32Array, got Float64Array',
    );
  });
});
