/**
 * Refusals: each names what is wrong, and the node when one is to blame, and nothing is
 * written (the sink sees no byte) when an export is refused.
 */
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../packages/core/src/index.js';
import { OnnxExportError, writeOnnx } from '../../packages/onnx/src/index.js';
import * as h from './harness.js';

function refusal(
  graph: Graph,
  options: { opset?: number } = {},
  weights = h.randomWeights(graph, 1),
) {
  const chunks: Uint8Array[] = [];
  try {
    writeOnnx(graph, h.shapesOf(graph), weights, { model: (c) => chunks.push(c) }, options);
  } catch (e) {
    expect(chunks).toEqual([]);
    expect(e).toBeInstanceOf(OnnxExportError);
    return e as OnnxExportError;
  }
  throw new Error('export was not refused');
}

const lenet = h.loadExample('lenet5');

describe('export refusals', () => {
  it.each([12, 22, 0, 17.5])('opset %s is out of range', (opset) => {
    const e = refusal(lenet, { opset });
    expect(e.code).toBe('onnx/opset-range');
    expect(e.message).toContain('opsets 13 to 21');
  });

  it('weights that do not fit the model, each named', () => {
    const weights = new Map(h.randomWeights(lenet, 1));
    weights.delete('f5.bias');
    weights.set('c1.weight', { dtype: 'f32', shape: [6, 1, 3, 3], data: new Float32Array(54) });
    const e = refusal(lenet, {}, weights);
    expect(e.code).toBe('onnx/weights');
    expect(e.message).toContain('missing weight `f5.bias`');
    expect(e.message).toContain('`c1.weight` has shape [6, 1, 3, 3], expected [6, 1, 5, 5]');
  });

  it('a ceil-mode pool that keeps a partial window on one axis and drops one on the other', () => {
    const graph = h.fromSource(
      'model m {\n input x: f32[N, 3, 6, 5]\n p = maxpool [3, 2] stride=2 pad=1 ceil_mode=true\n}\n',
    );
    const e = refusal(graph);
    expect(e.code).toBe('onnx/shape');
    expect(e.node).toBe('p');
    expect(e.diagnostics[0]!.span).toBeDefined();
  });

  it('an op with no ONNX export names the node', () => {
    const base = h.fromSource('model m {\n input x: f32[N, 4]\n r = relu\n}\n');
    const graph = {
      ...base,
      nodes: base.nodes.map((n) => (n.name === 'r' ? { ...n, op: 'swish' } : n)),
    };
    const shapes = new Map([
      ['x', ['N', 4]],
      ['r', ['N', 4]],
    ] as const);
    let error: unknown;
    try {
      writeOnnx(graph, shapes, new Map(), { model: () => {} });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'onnx/unsupported-op', node: 'r' });
    expect((error as Error).message).toContain('op `swish` has no ONNX export');
  });
});
