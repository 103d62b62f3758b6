/**
 * What every backend does with the caller's input arrays: it reads them when `run` is called,
 * so a caller that refills one array for the next run (while the first is queued behind
 * another) gets each run's own result; it reads each tensor's fields once, so the checks and the
 * copy see the same array; and what is not an object of Float32Array tensors (null, a tensor
 * without a shape, a detached buffer, another typed array) is refused by name, as a rejected
 * promise, never a synchronous throw or bytes reinterpreted.
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

  it('refuses inputs that are not an object of tensors, as a rejected promise', async () => {
    const session = await backend.compile(net, randomWeights(net, 1));
    for (const busy of [false, true]) {
      // Busy: a run queued behind another takes its copy at once.
      const ahead = busy ? session.run({ x: { dtype: 'f32', shape: [2, 6], data: values(1) } }) : 0;
      const bad = (inputs: unknown) => session.run(inputs as Record<string, Tensor>);
      await expect(bad(null)).rejects.toThrow('run takes an object of input tensors by name');
      await expect(bad({ x: { dtype: 'f32', data: values(1) } })).rejects.toThrow(
        'input `x` has no shape',
      );
      const gone = values(1);
      structuredClone(gone.buffer, { transfer: [gone.buffer] });
      await expect(bad({ x: { dtype: 'f32', shape: [2, 6], data: gone } })).rejects.toThrow(
        "input `x`'s Float32Array has a detached buffer",
      );
      await ahead;
    }
  });

  it("reads a tensor's data once: a getter that answers differently changes nothing", async () => {
    const session = await backend.compile(net, randomWeights(net, 1));
    const honest = values(3);
    let reads = 0;
    // The first read is the array of the right length; later reads would be a longer one.
    const x = {
      dtype: 'f32' as const,
      shape: [2, 6],
      get data() {
        reads++;
        return reads === 1 ? honest : Float32Array.from({ length: 48 }, () => 1000);
      },
    };
    const got = (await session.run({ x }))['y']!;
    const want = (await session.run({ x: { dtype: 'f32', shape: [2, 6], data: honest } }))['y']!;
    expect(reads).toBe(1);
    expect(got.data).toEqual(want.data);
  });
});
