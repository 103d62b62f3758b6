/**
 * External data. Real models pass ONNX's 2 GB limit only with billions of weights, so the
 * threshold is lowered here to send a small model's weights to the side file; the layout is the
 * same one a 2 GB model gets. onnxruntime loads the pair from disk and matches Kiln; the
 * checker, reading by path, accepts it; every tensor's offset and length point at its bytes.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EXTERNAL_ABOVE,
  exportOnnx,
  exportOnnxFiles,
  OnnxExportError,
} from '../../packages/onnx/src/index.js';
import { checkOnnx, useChecker } from './checker.js';
import { decodeModel, sameFloatBytes } from './decode.js';
import * as h from './harness.js';

const graph = h.loadExample('lenet5');
const shapes = h.shapesOf(graph);
const weights = h.randomWeights(graph, 4);
const dir = h.scratchDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = exportOnnxFiles(graph, shapes, weights, {
  externalAbove: 0,
  dataLocation: 'lenet5.onnx.data',
});
const modelPath = join(dir, 'lenet5.onnx');
writeFileSync(modelPath, files.model);
writeFileSync(join(dir, 'lenet5.onnx.data'), files.data!);

describe('external data', () => {
  it('puts every weight in the side file, 64-byte aligned, and none in the model', () => {
    expect(files.summary.external).toBe(true);
    const m = decodeModel(files.model);
    const data = readFileSync(join(dir, 'lenet5.onnx.data'));
    for (const t of m.graph.initializer!) {
      expect(t.dataLocation, t.name).toBe(1);
      expect(t.rawData?.length ?? 0).toBe(0);
      const entry = Object.fromEntries(t.externalData!.map((e) => [e.key, e.value]));
      expect(entry['location']).toBe('lenet5.onnx.data');
      const [offset, length] = [Number(entry['offset']), Number(entry['length'])];
      expect(offset % 64).toBe(0);
      const w = weights.get(t.name)!;
      expect(length).toBe(4 * w.data.length);
      expect(sameFloatBytes(data.subarray(offset, offset + length), w.data), t.name).toBe(true);
    }
    expect(files.model.length).toBeLessThan(4096);
  });

  it('onnxruntime runs the pair from disk and matches Kiln', async () => {
    const inputs = h.randomInputs(graph, 6, { N: 2 });
    const got = await h.runOrt(modelPath, inputs);
    const want = await h.runKiln(graph, weights, inputs);
    expect(h.scaledError(got['logits']!, want['logits']!)).toBeLessThan(h.TOLERANCE);
  });

  it.runIf(useChecker())('onnx.checker accepts the pair, and notices a missing side file', () => {
    const orphan = join(dir, 'orphan.onnx');
    writeFileSync(
      orphan,
      exportOnnxFiles(graph, shapes, weights, { externalAbove: 0, dataLocation: 'gone.data' })
        .model,
    );
    const outcomes = checkOnnx([], [modelPath, orphan]);
    expect(outcomes.get(modelPath)).toEqual({ file: modelPath, ok: true });
    expect(outcomes.get(orphan)!.ok).toBe(false);
  });

  it('stays inline below the threshold; exportOnnx refuses what needs a side file', () => {
    expect(EXTERNAL_ABOVE).toBe(2_000_000_000);
    expect(exportOnnxFiles(graph, shapes, weights).data).toBeUndefined();
    expect(() => exportOnnx(graph, shapes, weights, { externalAbove: 1000 })).toThrow(
      OnnxExportError,
    );
    expect(() => exportOnnx(graph, shapes, weights, { externalAbove: 1000 })).toThrow(/2 GB/);
  });
});
