import { describe, expect, it } from 'vitest';
import { createWasmBackend, wasmBackend } from '../../packages/backend-wasm/src/index.js';
import type { DiagnosticError, Graph, Tensor } from '../../packages/core/src/index.js';
import { hasErrors, initWeights, checkGraph } from '../../packages/core/src/index.js';
import { compile } from '../../packages/dsl/src/index.js';
import { randomWeights } from '../passes/random_weights.js';
import { reference, scaledError, seededInputs } from './models.js';

function model(source: string): Graph {
  const result = compile(source, 'test.kiln');
  if (hasErrors(result.diagnostics) || !result.graph) throw new Error('bad test model');
  return result.graph;
}

const small = model(`model small {
  input x: f32[N, 3, 12, 12]
  c1 = conv 8 kernel=3 pad=1 relu
  p1 = maxpool 2
  flat = flatten
  fc = dense 5
}
`);

async function rejection(promise: Promise<unknown>): Promise<DiagnosticError> {
  try {
    await promise;
  } catch (e) {
    return e as DiagnosticError;
  }
  throw new Error('expected a rejection');
}

describe('wasm sessions', () => {
  it('say they run on wasm, on one thread, with SIMD', async () => {
    const session = await wasmBackend.compile(small, randomWeights(small, 1));
    expect(session.info.backend).toBe('wasm');
    expect(session.info.details).toMatchObject({ threads: 1, simd: true });
  });

  it('run again at one shape without growing memory, and at other batches', async () => {
    const weights = randomWeights(small, 1);
    const session = await wasmBackend.compile(small, weights);
    const inputs = seededInputs(small, 4);
    const first = (await session.run(inputs))['fc']!;
    const grown = session.info.details['memoryBytes'];
    const second = (await session.run(inputs))['fc']!;
    expect(session.info.details['memoryBytes']).toBe(grown);
    expect(second.data).toEqual(first.data);
    for (const batch of [1, 4, 2]) {
      const batchInputs = seededInputs(small, batch, batch);
      const got = (await session.run(batchInputs))['fc']!;
      const [want] = await reference(small, weights, batchInputs);
      expect(got.shape).toEqual([batch, 5]);
      expect(scaledError(got, want!)).toBeLessThanOrEqual(1e-5);
    }
    expect(session.info.details['memoryBytes']).toBe(grown);
  });

  it('plan each input size of a fully convolutional model when it first runs', async () => {
    const fcn = model(`model fcn {
  input x: f32[N, 3, H, W]
  c1 = conv 6 kernel=3 pad=1 relu
  p1 = maxpool 2
  c2 = conv 4 kernel=1
}
`);
    const weights = randomWeights(fcn, 4);
    const session = await wasmBackend.compile(fcn, weights);
    for (const [h, w] of [
      [8, 8],
      [14, 10],
    ] as const) {
      const data = seededInputs(small, 1, h).x!.data.subarray(0, 3 * h * w);
      const inputs = { x: { dtype: 'f32' as const, shape: [1, 3, h, w], data } };
      const got = (await session.run(inputs))['c2']!;
      const [want] = await reference(fcn, weights, inputs);
      expect(got.shape).toEqual([1, 4, h / 2, w / 2]);
      expect(scaledError(got, want!)).toBeLessThanOrEqual(1e-5);
    }
  });

  it('pack a dense weight larger than one staging band (16 MiB) band by band', async () => {
    // 1100 x 4096 floats = 18 MB: bands of 1024 units, the second ending inside a panel.
    const wide = model(`model wide {
  input x: f32[N, 4096]
  y = dense 1100
}
`);
    const weights = randomWeights(wide, 6);
    const inputs = seededInputs(wide, 2);
    const [want] = await reference(wide, weights, inputs);
    const got = (await (await wasmBackend.compile(wide, weights)).run(inputs))['y']!;
    expect(scaledError(got, want!)).toBeLessThanOrEqual(1e-5);
  });

  it('refuse, at compile time, an op the backend does not claim, naming node and op', async () => {
    const narrow = createWasmBackend({ ops: ['relu', 'maxpool', 'flatten', 'dense'] });
    const e = await rejection(narrow.compile(small, randomWeights(small, 1)));
    expect(e.diagnostics.map((d) => d.code)).toEqual(['backend/unsupported-op']);
    expect(e.diagnostics[0]!.message).toBe('the wasm backend does not run op `conv` (node `c1`)');
  });

  it('refuse, at compile time, a model too big for a wasm32 memory, with its size', async () => {
    const huge = model(`model huge {
  input x: f32[N, 1, 40000, 40000]
  y = relu
}
`);
    const { shapes } = checkGraph(huge);
    const e = await rejection(wasmBackend.compile(huge, initWeights(huge, shapes, 1)));
    expect(e.diagnostics[0]!.code).toBe('wasm/memory-limit');
    // Input and output, 40000^2 floats each, live together: at least 12.8e9 bytes.
    const bytes = Number(/\((\d+) bytes\)/.exec(e.diagnostics[0]!.message)![1]);
    expect(bytes).toBeGreaterThanOrEqual(2 * 40000 * 40000 * 4);
    expect(bytes).toBeLessThan(2 * 40000 * 40000 * 4 + 2 ** 20);
    expect(e.diagnostics[0]!.message).toMatch(/needs 11\.92 GiB/);
  });

  it('reject inputs of the wrong shape, naming the input', async () => {
    const session = await wasmBackend.compile(small, randomWeights(small, 1));
    const bad: Tensor = { dtype: 'f32', shape: [1, 3, 10, 12], data: new Float32Array(360) };
    const e = await rejection(session.run({ x: bad }));
    expect(e.diagnostics[0]!.code).toBe('wasm/input');
    expect(e.diagnostics[0]!.message).toContain('input `x`');
    const nan = seededInputs(small, 1).x!;
    nan.data[7] = NaN;
    const n = await rejection(session.run({ x: nan }));
    expect(n.diagnostics[0]!.message).toBe('input `x` holds NaN (first at flat index 7)');
    // Infinity past the SIMD blocks (the scalar tail) and inside one.
    for (const [at, value] of [
      [359, Infinity],
      [5, -Infinity],
    ] as const) {
      const inf = seededInputs(small, 1).x!;
      inf.data[at] = value;
      const i = await rejection(session.run({ x: inf }));
      expect(i.diagnostics[0]!.message).toBe(
        `input \`x\` holds ${value} (first at flat index ${at})`,
      );
    }
  });
});
