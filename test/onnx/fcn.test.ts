/**
 * Fully convolutional exports: after fc-to-conv in spatial mode the network takes larger inputs
 * and returns a map of scores. The input's height and width are left symbolic in the file
 * (dim_param H and W), so one file serves every size.
 *
 * VGG-16 at 384x384 gives a [1, 1000, 6, 6] map in onnxruntime. Kiln's CPU backend needs about
 * 100 s for that pass on one core, too slow for every run, so the comparison with Kiln runs only
 * with KILN_SLOW_TESTS=1; the default run checks the same claim on a small net.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../packages/core/src/index.js';
import { runPasses, withInputShapes } from '../../packages/core/src/index.js';
import { exportOnnx } from '../../packages/onnx/src/index.js';
import { checkOnnx, useChecker } from './checker.js';
import { decodeModel, dimsOf } from './decode.js';
import * as h from './harness.js';

const small = h.fromSource(`model fcn {
  input image: f32[N, 3, 16, 16]
  c1 = conv 4 kernel=3 pad=1 relu
  p1 = maxpool 2
  c2 = conv 8 kernel=3 pad=1 relu
  p2 = avgpool 2
  flatten
  fc1 = dense 6 relu
  fc2 = dense 5
}
`);

/** The rewritten graph with its image input's height and width made symbolic. */
function spatial(graph: Graph, seed: number) {
  const weights = h.randomWeights(graph, seed);
  const rewritten = runPasses(graph, ['fc-to-conv'], weights, { spatial: true });
  const [n, c] = h.shapesOf(graph).get('image')!;
  const open = withInputShapes(rewritten.graph, { image: [n!, c!, 'H', 'W'] });
  return { graph: rewritten.graph, open, weights: rewritten.weights! };
}

const dir = h.scratchDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fully convolutional export', () => {
  it('a small net scores a 24x24 image as a 3x3 map, as Kiln does', async () => {
    const { open, weights } = spatial(small, 8);
    const bytes = exportOnnx(open, h.shapesOf(open), weights, { opset: 17 });
    expect(dimsOf(decodeModel(bytes).graph.input[0]!)).toEqual(['N', 3, 'H', 'W']);
    const path = h.writeModel(dir, 'fcn', bytes);
    const large = withInputShapes(open, { image: [1, 3, 24, 24] });
    const inputs = h.randomInputs(large, 9);
    const got = (await h.runOrt(path, inputs))['fc2']!;
    const want = (await h.runKiln(large, weights, inputs))['fc2']!;
    expect(got.shape).toEqual([1, 5, 3, 3]);
    expect(h.scaledError(got, want)).toBeLessThan(h.TOLERANCE);
    if (useChecker()) expect(checkOnnx([path]).get(path)).toEqual({ file: path, ok: true });
  });

  it('VGG-16 after fc-to-conv gives a [1, 1000, 6, 6] map at 384x384', async () => {
    const { open, weights } = spatial(h.loadExample('vgg16'), 12);
    const bytes = exportOnnx(open, h.shapesOf(open), weights, { opset: 17 });
    const large = withInputShapes(open, { image: [1, 3, 384, 384] });
    const inputs = h.randomInputs(large, 13);
    const got = (await h.runOrt(bytes, inputs))['fc8']!;
    expect(got.shape).toEqual([1, 1000, 6, 6]);
    expect(got.data.every(Number.isFinite)).toBe(true);
    // Cells differ: the map is not one score vector repeated.
    expect(Math.abs(got.data[0]! - got.data[35]!)).toBeGreaterThan(1e-6);
    if (process.env['KILN_SLOW_TESTS'] === '1') {
      const want = (await h.runKiln(large, weights, inputs))['fc8']!;
      expect(h.scaledError(got, want)).toBeLessThan(h.TOLERANCE);
    }
  }, 300_000);
});
