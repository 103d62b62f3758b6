/**
 * Every example, as written and after fc-to-conv, exported at opsets 13 and 17: onnxruntime
 * runs each file and matches Kiln's CPU backend on seeded weights and inputs; the opset-17 file
 * decodes to the model's names, shapes and bit-identical weights; onnx.checker (full_check)
 * accepts all of them.
 *
 * AlexNet and VGG-16 take Kiln's CPU backend 5 s and 35 s per batch-1 pass on one core, so their
 * fc-to-conv files are compared with the original graph's CPU result (the pass keeps results
 * within rounding: test/passes checks that on the CPU backend), not with a second CPU pass.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Graph, Shape, Tensor, Weights } from '../../packages/core/src/index.js';
import { runPasses } from '../../packages/core/src/index.js';
import { exportOnnx } from '../../packages/onnx/src/index.js';
import { checkOnnx, useChecker } from './checker.js';
import { roundTripProblems } from './facts.js';
import * as h from './harness.js';

const EXAMPLES = ['lenet5', 'mlp-fashion', 'resnet18', 'googlenet', 'alexnet', 'vgg16'];
const HEAVY = new Set(['alexnet', 'vgg16']);
const OPSETS = [13, 17];

const dir = h.scratchDir();
const written: string[] = [];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Form {
  readonly label: string;
  readonly graph: Graph;
  readonly shapes: ReadonlyMap<string, Shape>;
  readonly weights: Weights;
}

function forms(name: string): Form[] {
  const graph = h.loadExample(name);
  const shapes = h.shapesOf(graph);
  const weights = h.randomWeights(graph, 7);
  const fc = runPasses(graph, ['fc-to-conv'], weights);
  return [
    { label: 'original', graph, shapes, weights },
    { label: 'fc-to-conv', graph: fc.graph, shapes: fc.shapes, weights: fc.weights! },
  ];
}

describe.each(EXAMPLES)('%s', (name) => {
  it('onnxruntime matches Kiln in both forms at opsets 13 and 17; weights round-trip', async () => {
    const [original, rewritten] = forms(name);
    const inputs = h.randomInputs(original!.graph, 11);
    const reference = await h.runKiln(original!.graph, original!.weights, inputs);
    for (const form of [original!, rewritten!]) {
      const want =
        form === original || HEAVY.has(name)
          ? reference
          : await h.runKiln(form.graph, form.weights, inputs);
      for (const opset of OPSETS) {
        const bytes = exportOnnx(form.graph, form.shapes, form.weights, { opset });
        const path = h.writeModel(dir, `${name}-${form.label}-${opset}`, bytes);
        written.push(path);
        if (opset === 17) {
          expect(roundTripProblems(bytes, form.graph, form.shapes, form.weights, opset)).toEqual(
            [],
          );
        }
        const got = await h.runOrt(path, inputs);
        form.graph.outputs.forEach((out, i) => {
          const kiln: Tensor = want[form === original ? out : original!.graph.outputs[i]!]!;
          if (form !== original && !HEAVY.has(name)) expect(want[out]).toBeDefined();
          const error = h.scaledError(
            got[out]!,
            form === original || HEAVY.has(name) ? kiln : want[out]!,
          );
          expect(error, `${form.label} opset ${opset} ${out}`).toBeLessThan(h.TOLERANCE);
        });
      }
    }
  }, 300_000);
});

describe.runIf(useChecker())('onnx.checker', () => {
  it('accepts every export (full_check)', () => {
    expect(written.length).toBe(EXAMPLES.length * 2 * OPSETS.length);
    const outcomes = checkOnnx(written);
    for (const file of written) expect(outcomes.get(file), file).toEqual({ file, ok: true });
  }, 300_000);
});
