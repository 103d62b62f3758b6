/**
 * `CompileOptions.dims` is checked at compile time the same way on every backend: a value that
 * is not a positive integer, or a name no input declares, is refused with the name; good
 * bindings fix the dimension for every run.
 */
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../packages/backend-cpu/src/index.js';
import { wasmBackend } from '../../packages/backend-wasm/src/index.js';
import { webgpuBackend } from '../../packages/backend-webgpu/src/index.js';
import type { Backend, DiagnosticError, Graph } from '../../packages/core/src/index.js';
import { hasErrors } from '../../packages/core/src/index.js';
import { compile } from '../../packages/dsl/src/index.js';
import { randomWeights } from '../passes/random_weights.js';
import { gpuProblem } from '../webgpu/gpu.js';

const { graph, diagnostics } = compile(
  'model fcn {\n  input x: f32[N, 2, H, W]\n  c = conv 3 kernel=3 pad=1\n}\n',
  'fcn.kiln',
);
if (hasErrors(diagnostics) || !graph) throw new Error('bad test model');
const fcn: Graph = graph;

// WebGPU where it runs (test/webgpu and the webgpu conformance tests fail in CI without it).
const backends: Backend[] = [cpuBackend, wasmBackend, ...(gpuProblem ? [] : [webgpuBackend])];

async function refusal(backend: Backend, dims: Record<string, unknown>): Promise<string[]> {
  try {
    await backend.compile(fcn, randomWeights(fcn, 1), { dims: dims as Record<string, number> });
  } catch (e) {
    return (e as DiagnosticError).diagnostics.map((d) => d.message);
  }
  throw new Error(`expected ${JSON.stringify(dims)} to be refused`);
}

describe.each(backends.map((b) => [b.name, b] as const))('%s: compile dims', (_, backend) => {
  it('refuses values that are not positive integers, naming the dimension', async () => {
    for (const bad of [-1, 0, 1.5, 'x', 2 ** 40]) {
      expect(await refusal(backend, { H: bad, W: 5 })).toEqual([
        `dimension \`H\` must be an integer from 1 to 2^31-1, got ${JSON.stringify(bad)}`,
      ]);
    }
  });

  it('refuses a name no input declares', async () => {
    expect(await refusal(backend, { Q: 3 })).toEqual([
      'dimension `Q` is not a symbol of model `fcn`',
    ]);
  });

  it('binds good values for every run', async () => {
    const session = await backend.compile(fcn, randomWeights(fcn, 1), { dims: { H: 5, W: 4 } });
    const data = Float32Array.from({ length: 80 }, (_, i) => Math.sin(i));
    const ok = { x: { dtype: 'f32' as const, shape: [2, 2, 5, 4], data } };
    expect((await session.run(ok))['c']!.shape).toEqual([2, 3, 5, 4]);
    await expect(session.run({ x: { ...ok.x, shape: [2, 2, 4, 5] } })).rejects.toThrow(/H = 5/);
  });
});
