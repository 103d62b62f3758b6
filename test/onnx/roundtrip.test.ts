/**
 * What the written file says, read back with onnx-proto: the model's own input and output
 * names, symbolic dimensions as dim_param, producer and versions, attributes with their types,
 * and weights as raw little-endian bytes bit-identical to Kiln's (the -0 and NaN below survive).
 */
import { describe, expect, it } from 'vitest';
import { exportOnnx, irVersionFor } from '../../packages/onnx/src/index.js';
import { attr, decodeModel, dimsOf } from './decode.js';
import { roundTripProblems } from './facts.js';
import * as h from './harness.js';

const source = `model fcn {
  input pixels: f32[B, 3, H, W]
  stem = conv 4 kernel=3 pad=1 relu
  pool = maxpool 2
  head = conv 2 kernel=1
  scores = softmax
}
`;

describe('round trip', () => {
  const graph = h.fromSource(source);
  const shapes = h.shapesOf(graph);
  const weights = h.randomWeights(graph, 1);
  weights.get('stem.bias')!.data[0] = -0;
  weights.get('head.bias')!.data[1] = NaN;

  it.each([13, 17, 19, 21])('opset %i: names, dims, weights, versions', (opset) => {
    const bytes = exportOnnx(graph, shapes, weights, { opset, producerVersion: '1.2.3' });
    expect(roundTripProblems(bytes, graph, shapes, weights, opset)).toEqual([]);
    const m = decodeModel(bytes);
    expect(m.producerVersion).toBe('1.2.3');
    expect(m.irVersion).toBe(irVersionFor(opset));
    expect(m.graph.input.map(dimsOf)).toEqual([['B', 3, 'H', 'W']]);
    expect(m.graph.output[0]!.name).toBe('scores');
    expect(dimsOf(m.graph.output[0]!)).toEqual(['B', 2, 'floor((H-2)/2)+1', 'floor((W-2)/2)+1']);
  });

  it('every attribute carries its type', () => {
    const m = decodeModel(exportOnnx(graph, shapes, weights));
    const all = m.graph.node.flatMap((n) => n.attribute ?? []);
    expect(all.length).toBeGreaterThan(5);
    for (const a of all) expect(a.type, a.name).toBeGreaterThan(0);
    const softmax = m.graph.node.find((n) => n.opType === 'Softmax')!;
    expect(attr(softmax, 'axis')).toMatchObject({ type: 2, i: 1 });
  });

  it('the file runs at sizes the model left symbolic', async () => {
    // The NaN bias above would make every comparison fail, so this run uses a finite one.
    const finite = new Map(weights);
    const bias = weights.get('head.bias')!;
    finite.set('head.bias', { ...bias, data: Float32Array.from(bias.data, (v) => v || 0.25) });
    const inputs = h.randomInputs(graph, 2, { B: 3, H: 10, W: 6 });
    const got = await h.runOrt(exportOnnx(graph, shapes, finite, { opset: 17 }), inputs);
    const want = await h.runKiln(graph, finite, inputs);
    expect(got['scores']!.shape).toEqual([3, 2, 5, 3]);
    expect(h.scaledError(got['scores']!, want['scores']!)).toBeLessThan(h.TOLERANCE);
  });
});
