import { describe, expect, it } from 'vitest';
import { createWasmBackend, wasmBackend } from '../../packages/backend-wasm/src/index.js';
import type { Graph } from '../../packages/core/src/index.js';
import { buildTrainingGraph, checkGraph, hasErrors } from '../../packages/core/src/index.js';
import { winogradTile } from '../../packages/backend-wasm/src/kernels/winograd.js';
import { compile } from '../../packages/dsl/src/index.js';
import { randomWeights } from '../passes/random_weights.js';
import { TOLERANCE, reference, runOn, scaledError, seededInputs } from './models.js';

function model(source: string): Graph {
  const result = compile(source, 'test.kiln');
  if (hasErrors(result.diagnostics) || !result.graph) {
    throw new Error(result.diagnostics.map((d) => d.message).join('; '));
  }
  return result.graph;
}

// 3x3 stride-1 convs with at least WINOGRAD_MIN_CHANNELS channels run as Winograd, F(4x4, 3x3)
// where it needs fewer GEMM products than F(2x2, 3x3) (winogradTile), else F(2x2, 3x3): odd and
// even output sizes (partial tiles at the right and bottom), tile rows that are not a multiple
// of four tiles, paddings from none to more than the kernel, one with different sides, a 1x1
// output, channel counts that are not multiples of the GEMM tile, depths cut into several
// blocks, several blocks of tile rows per image, and batch 2. The third field is the tile the
// output's height and width select.
const winogradCases: [string, string, 2 | 4][] = [
  ['odd map, pad 1, bias', 'input x: f32[N, 16, 9, 11]\n y = conv 20 kernel=3 pad=1', 4],
  ['even map, no pad, no bias', 'input x: f32[N, 17, 12, 10]\n y = conv 16 kernel=3 bias=false', 2],
  ['wide map, pad 2', 'input x: f32[N, 16, 5, 71]\n y = conv 18 kernel=3 pad=2', 4],
  ['pad on one side', 'input x: f32[N, 16, 8, 9]\n y = conv 16 kernel=3 pad=[0, 1, 2, 1]', 4],
  ['1x1 output', 'input x: f32[N, 24, 3, 3]\n y = conv 33 kernel=3', 2],
  ['deep, several depth blocks', 'input x: f32[N, 300, 6, 6]\n y = conv 17 kernel=3 pad=1', 2],
  ['deep, 4x4 tiles', 'input x: f32[N, 300, 12, 13]\n y = conv 17 kernel=3 pad=1', 4],
  ['several blocks of tile rows', 'input x: f32[N, 16, 40, 37]\n y = conv 16 kernel=3 pad=1', 4],
  // Past POOL_MIN_MACS: the two-thread backend splits this one's tile rows between threads.
  ['shared among threads', 'input x: f32[N, 32, 23, 20]\n y = conv 40 kernel=3 pad=1', 4],
];

// Other convs take im2col, or, for a 1x1 stride-1 unpadded one, pack the input as it lies.
const im2colCases: [string, string, undefined][] = [
  ['1x1 pointwise', 'input x: f32[N, 40, 7, 9]\n y = conv 24 kernel=1', undefined],
  ['3x3 stride 2', 'input x: f32[N, 16, 9, 9]\n y = conv 16 kernel=3 stride=2 pad=1', undefined],
  ['3x3 grouped', 'input x: f32[N, 32, 6, 7]\n y = conv 32 kernel=3 pad=1 groups=2', undefined],
];

describe('wasm conv methods against the cpu backend', () => {
  const threaded = createWasmBackend({ threads: 2 });
  for (const [name, body, tile] of [...winogradCases, ...im2colCases]) {
    it(name, async () => {
      const graph = model(`model m {\n ${body}\n}\n`);
      const outShape = checkGraph(graph).shapes.get('y')!;
      if (tile) expect(winogradTile({ outShape, training: false, winograd: 'auto' })).toBe(tile);
      const weights = randomWeights(graph, 3);
      for (const batch of [1, 2]) {
        const inputs = seededInputs(graph, batch, batch);
        const [want] = await reference(graph, weights, inputs);
        for (const backend of [wasmBackend, threaded]) {
          const [got] = await runOn(backend, graph, weights, inputs);
          expect(scaledError(got!, want!)).toBeLessThanOrEqual(TOLERANCE);
        }
      }
    });
  }

  // Big enough (2^21 multiply-adds and more) for the pool: on a 1x1 map the threads split the
  // output channels, not the positions (there is one position).
  it('splits a 1x1 head on a 1x1 map among threads by output channels', async () => {
    const graph = model('model m {\n input x: f32[N, 2048, 1, 1]\n y = conv 1030 kernel=1\n}\n');
    const weights = randomWeights(graph, 4);
    const inputs = seededInputs(graph, 1);
    const [want] = await reference(graph, weights, inputs);
    const [got] = await runOn(threaded, graph, weights, inputs);
    expect(scaledError(got!, want!)).toBeLessThanOrEqual(TOLERANCE);
  });

  // The tile needs the map's size at compile time: from the graph, or from dims bound there.
  // A training graph keeps F(2x2, 3x3), whose zero windows give exact zeros as the CPU's do.
  it('names the conv methods in the session info: dims and training decide the tile', async () => {
    const body = (h: string, w: string) =>
      `model m {\n input x: f32[N, 16, ${h}, ${w}]\n a = conv 16 kernel=3 pad=1\n r = relu\n` +
      ' b = conv 16 kernel=1\n g = global_avgpool\n f = flatten\n}\n';
    const open = model(body('H', 'W'));
    const fixed = model(body('56', '56'));
    const weights = randomWeights(fixed, 5);
    const compileOn = (g: Graph, dims = {}) => wasmBackend.compile(g, weights, { dims });
    const info = async (g: Graph, dims = {}) => (await compileOn(g, dims)).info.details['conv'];
    expect(await info(open)).toBe('winograd F(2x2, 3x3): 1, im2col + GEMM: 1');
    expect(await info(open, { H: 56, W: 56 })).toBe('winograd F(4x4, 3x3): 1, im2col + GEMM: 1');
    expect(await info(open, { H: 7, W: 7 })).toBe('winograd F(2x2, 3x3): 1, im2col + GEMM: 1');
    expect(await info(fixed)).toBe('winograd F(4x4, 3x3): 1, im2col + GEMM: 1');
    const tg = buildTrainingGraph(fixed, { kind: 'mse_loss', prediction: 'f' });
    expect(await info(tg.graph)).toBe('winograd F(2x2, 3x3): 1, im2col + GEMM: 1');
    // The backend option keeps F(2x2, 3x3), and refuses what it does not know.
    const closer = createWasmBackend({ winograd: '2x2' });
    const held = (await closer.compile(fixed, weights)).info.details['conv'];
    expect(held).toBe('winograd F(2x2, 3x3): 1, im2col + GEMM: 1');
    expect(() => createWasmBackend({ winograd: '6x6' as '2x2' })).toThrow(
      "wasm backend: winograd must be 'auto' or '2x2', got 6x6",
    );
    // With the dims bound, the session computes what the CPU backend does.
    const inputs = seededInputs(fixed, 2);
    const [want] = await reference(fixed, weights, inputs);
    const got = (await (await compileOn(open, { H: 56, W: 56 })).run(inputs))['f']!;
    expect(scaledError(got, want!)).toBeLessThanOrEqual(TOLERANCE);
  });
});
