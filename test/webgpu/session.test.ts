/**
 * WebGPU sessions beyond single ops: which adapter runs them, device limits (a tensor past
 * maxStorageBufferBindingSize refused with the limit named; narrow workgroups; few storage
 * bindings), fused activations, several batch sizes in one session, bad inputs, device loss.
 */
import { expect, it } from 'vitest';
import {
  createWebGpuBackend,
  nodeGpu,
  webgpuBackend,
} from '../../packages/backend-webgpu/src/index.js';
import { openDevice, scoped } from '../../packages/backend-webgpu/src/device.js';
import type { DiagnosticError, Graph, Tensor } from '../../packages/core/src/index.js';
import { hasErrors } from '../../packages/core/src/index.js';
import { compile } from '../../packages/dsl/src/index.js';
import { randomWeights } from '../passes/random_weights.js';
import { reference, scaledError, seededInputs } from '../wasm/models.js';
import { describeGpu } from './gpu.js';

function model(source: string): Graph {
  const result = compile(source, 'test.kiln');
  if (hasErrors(result.diagnostics) || !result.graph) throw new Error('bad test model');
  return result.graph;
}

async function rejection(promise: Promise<unknown>): Promise<DiagnosticError> {
  try {
    await promise;
  } catch (e) {
    return e as DiagnosticError;
  }
  throw new Error('expected a rejection');
}

const small = model(`model small {
  input x: f32[N, 3, 12, 12]
  c1 = conv 8 kernel=3 pad=1 relu
  p1 = maxpool 2
  flat = flatten
  fc = dense 5 sigmoid
}
`);
/** The model's output: the sigmoid the `fc` line's shorthand appends. */
const out = small.outputs[0]!;

/** Every output of `graph` on `backend` against the CPU backend, within 1e-5 scaled. */
async function matchesCpu(backend: typeof webgpuBackend, graph: Graph, batch: number) {
  const weights = randomWeights(graph, 1);
  const inputs = seededInputs(graph, batch);
  const got = await (await backend.compile(graph, weights)).run(inputs);
  const want = await reference(graph, weights, inputs);
  graph.outputs.forEach((name, i) =>
    expect(scaledError(got[name]!, want[i]!), name).toBeLessThanOrEqual(1e-5),
  );
}

describeGpu('webgpu sessions', () => {
  it('say which adapter runs them, and whether it is a fallback adapter', async () => {
    const session = await webgpuBackend.compile(small, randomWeights(small, 1));
    expect(session.info.backend).toBe('webgpu');
    expect(session.info.details['adapter']).toEqual(expect.any(String));
    expect(String(session.info.details['adapter']).length).toBeGreaterThan(0);
    expect(session.info.details['fallbackAdapter']).toEqual(expect.any(Boolean));
    // Dawn on SwiftShader, as CI runs it, is a fallback adapter.
    if (String(session.info.details['adapter']).includes('swiftshader')) {
      expect(session.info.details['fallbackAdapter']).toBe(true);
    }
  });

  it('fuse an activation into the conv and dense before it: fewer dispatches, same values', async () => {
    const session = await webgpuBackend.compile(small, randomWeights(small, 1));
    // conv+relu, maxpool, dense+sigmoid; flatten is a view.
    expect(session.info.details['dispatchesPerRun']).toBe(3);
    await matchesCpu(webgpuBackend, small, 2);
  });

  it('run several batch sizes in one session', async () => {
    const weights = randomWeights(small, 1);
    const session = await webgpuBackend.compile(small, weights);
    for (const batch of [3, 1, 5, 3]) {
      const inputs = seededInputs(small, batch, batch);
      const got = (await session.run(inputs))[out]!;
      const [want] = await reference(small, weights, inputs);
      expect(got.shape).toEqual([batch, 5]);
      expect(scaledError(got, want!)).toBeLessThanOrEqual(1e-5);
    }
  });

  it('refuse a tensor past maxStorageBufferBindingSize, naming the limit', async () => {
    // 16 KiB per binding: fc's weight [5, 288] (5.6 KiB) fits, a batch-1 input 1.7 KiB fits.
    const narrow = createWebGpuBackend({ limits: { maxStorageBufferBindingSize: 16384 } });
    const session = await narrow.compile(small, randomWeights(small, 1));
    // Batch 4: c1's output (relu fused in) [4, 8, 12, 12] is 18 KiB.
    const e = await rejection(session.run(seededInputs(small, 4)));
    expect(e.diagnostics[0]!.code).toBe('webgpu/limit');
    expect(e.diagnostics[0]!.message).toBe(
      "tensor `c1_relu` [4, 8, 12, 12] needs 18432 bytes, more than this device's maxStorageBufferBindingSize of 16384 bytes",
    );
    expect((await session.run(seededInputs(small, 1)))[out]!.shape).toEqual([1, 5]);
    // At compile time: a weight, and a batch-1 tensor.
    const wide = model('model wide {\n  input x: f32[N, 4096]\n  dense 2\n}\n');
    const w = await rejection(narrow.compile(wide, randomWeights(wide, 1)));
    expect(w.diagnostics[0]!.message).toMatch(
      /^constant `dense1\.weight` \[2, 4096\] needs 32768 bytes, more than this device's maxStorageBufferBindingSize of 16384 bytes/,
    );
    const big = model('model big {\n  input x: f32[N, 8192]\n  relu\n}\n');
    const b = await rejection(narrow.compile(big, new Map()));
    expect(b.diagnostics[0]!.message).toMatch(
      /^tensor `x` \[1, 8192\] needs 32768 bytes, more than .*maxStorageBufferBindingSize/,
    );
  });

  it('size workgroups to the device: 16 invocations', async () => {
    const narrow = createWebGpuBackend({ limits: { maxComputeInvocationsPerWorkgroup: 16 } });
    const net = model(`model net {
  input x: f32[N, 3, 9, 9]
  c = conv 20 kernel=3 relu
  g = global_avgpool
  f = flatten
  d = dense 70
  s = softmax
}
`);
    await matchesCpu(narrow, net, 3);
  });

  it('sum more inputs than a shader may bind in several dispatches', async () => {
    const narrow = createWebGpuBackend({ limits: { maxStorageBuffersPerShaderStage: 4 } });
    const names = Array.from({ length: 9 }, (_, i) => `x${i}`);
    const many: Graph = {
      name: 'many',
      nodes: [
        ...names.map((name) => ({
          name,
          op: 'input',
          inputs: [],
          attrs: { shape: ['N', 7], dtype: 'f32' },
        })),
        { name: 'sum', op: 'add', inputs: names, attrs: {} },
        { name: 'out', op: 'tanh', inputs: ['sum'], attrs: {} },
      ],
      outputs: ['out'],
    };
    await matchesCpu(narrow, many, 2);
  });

  it('refuse inputs of the wrong shape or with NaN, naming the input', async () => {
    const session = await webgpuBackend.compile(small, randomWeights(small, 1));
    const bad: Tensor = { dtype: 'f32', shape: [1, 3, 10, 12], data: new Float32Array(360) };
    const e = await rejection(session.run({ x: bad }));
    expect(e.diagnostics[0]!.code).toBe('webgpu/input-shape');
    expect(e.diagnostics[0]!.message).toContain('input `x`');
    const nan = seededInputs(small, 1).x!;
    nan.data[7] = NaN;
    const n = await rejection(session.run({ x: nan }));
    expect(n.diagnostics[0]!.message).toBe('input `x` holds NaN (first at flat index 7)');
  });

  it('refuse, at compile time, an op the backend does not claim, naming node and op', async () => {
    const narrow = createWebGpuBackend({ ops: ['relu', 'maxpool', 'flatten', 'dense', 'sigmoid'] });
    const e = await rejection(narrow.compile(small, randomWeights(small, 1)));
    expect(e.diagnostics.map((d) => d.code)).toEqual(['backend/unsupported-op']);
    expect(e.diagnostics[0]!.message).toBe('the webgpu backend does not run op `conv` (node `c1`)');
  });

  it('end a run on a lost device with a clear error, and open a new device for the next compile', async () => {
    const devices: GPUDevice[] = [];
    const dawn = await nodeGpu();
    // The injected GPU hands out Dawn's adapters, keeping each device the backend asks for.
    const gpu = {
      requestAdapter: async (options?: GPURequestAdapterOptions) => {
        const adapter = (await dawn.requestAdapter(options))!;
        return {
          get info() {
            return adapter.info;
          },
          get limits() {
            return adapter.limits;
          },
          requestDevice: async (descriptor?: GPUDeviceDescriptor) => {
            const device = await adapter.requestDevice(descriptor);
            devices.push(device);
            return device;
          },
        };
      },
    } as unknown as GPU;
    const backend = createWebGpuBackend({ gpu });
    const weights = randomWeights(small, 1);
    const session = await backend.compile(small, weights);
    await session.run(seededInputs(small, 1));
    devices[0]!.destroy();
    const e = await rejection(session.run(seededInputs(small, 1)));
    expect(e.diagnostics[0]!.code).toBe('webgpu/device-lost');
    expect(e.diagnostics[0]!.message).toMatch(/^the WebGPU device was lost \(destroyed\)/);
    const again = await backend.compile(small, weights);
    expect(devices).toHaveLength(2);
    expect((await again.run(seededInputs(small, 2)))[out]!.shape).toEqual([2, 5]);
  });

  it('turn a GPU validation error during a run into one diagnostic naming the graph', async () => {
    const ctx = await openDevice(await nodeGpu());
    // MAP_READ may only go with COPY_DST: Dawn raises a validation error, caught by the scope.
    const e = await rejection(
      scoped(ctx, 'probe', () => ctx.device.createBuffer({ size: 16, usage: 0x1 | 0x80 })),
    );
    expect(e.diagnostics[0]!.code).toBe('webgpu/gpu-error');
    expect(e.diagnostics[0]!.message).toMatch(/^WebGPU validation error on `probe`: /);
    ctx.device.destroy();
  });

  it('keep long reductions near the float64 result (compensated partial sums)', async () => {
    const wide = model(`model wide {\n  input x: f32[N, 1, 1024, 1024]\n  g = global_avgpool\n}\n`);
    const n = 1024 * 1024;
    // Values just above 1: once a float32 partial sum passes 8192 its ulp (2^-10) exceeds twice
    // their fractional part, so a plain sum drops it at every add.
    const data = Float32Array.from({ length: n }, (_, i) => 1.0003 + (i % 7) * 1e-7);
    let exact = 0;
    for (let i = 0; i < n; i++) exact += data[i]!;
    exact /= n;
    const session = await webgpuBackend.compile(wide, new Map());
    const got = (await session.run({ x: { dtype: 'f32', shape: [1, 1, 1024, 1024], data } }))['g']!;
    expect(Math.abs(got.data[0]! - exact) / exact).toBeLessThan(1e-6);
  });

  it('refuse options a caller got wrong, naming them', () => {
    const bad: [object, string][] = [
      [{ limits: { maxStorageBuffersPerShaderStage: 1 } }, 'must be an integer of at least 4'],
      [{ limits: { maxStorageBufferBindingSize: Number.NaN } }, 'must be an integer of at least 1'],
      [{ limits: { maxFoo: 3 } }, 'unknown limit `maxFoo`'],
      [{ ops: ['dense', 'denseish'] }, 'no kernel for ops `denseish`'],
      [{ ops: 'dense' }, '`ops` must be an array'],
      [{ powerPreference: 'fast' }, "powerPreference must be 'low-power' or 'high-performance'"],
      [{ gpu: {} }, '`gpu` must be a GPU object'],
    ];
    for (const [options, message] of bad) {
      expect(() => createWebGpuBackend(options as never), JSON.stringify(options)).toThrow(message);
    }
  });
});
