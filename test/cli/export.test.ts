/**
 * `kiln export` as a user runs it: the built CLI in a child process. Files are read back with
 * onnx-proto and run in onnxruntime; failures must leave no file (and no temporary) behind.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  encodeSafetensors,
  initWeights,
  runPasses,
  withInputShapes,
} from '../../packages/core/src/index.js';
import { decodeModel, dimsOf, sameFloatBytes } from '../onnx/decode.js';
import * as h from '../onnx/harness.js';
import { example, kiln, scratch } from './kiln.js';

const lenet = h.loadExample('lenet5');
const shapes = h.shapesOf(lenet);
const exportTo = (dir: string, ...args: string[]) =>
  kiln(['export', example('lenet5.kiln'), '-o', join(dir, 'out.onnx'), ...args]);
const initializers = (file: string) =>
  new Map(decodeModel(readFileSync(file)).graph.initializer!.map((t) => [t.name, t]));

describe('kiln export', () => {
  it('writes seeded weights (seed 0 by default) at opset 17', () => {
    const dir = scratch();
    const r = exportTo(dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ONNX opset 17, IR 8');
    const file = join(dir, 'out.onnx');
    const m = decodeModel(readFileSync(file));
    expect(m.opsetImport[0]!.version).toBe(17);
    expect(m.producerName).toBe('kiln');
    const seeded = initWeights(lenet, shapes, 0);
    const inits = initializers(file);
    expect(inits.size).toBe(seeded.size);
    for (const [name, w] of seeded)
      expect(sameFloatBytes(inits.get(name)!.rawData!, w.data)).toBe(true);
    expect(readdirSync(dir)).toEqual(['out.onnx']);
  });

  it('--json reports the written file as one JSON document', () => {
    const dir = scratch();
    const r = exportTo(dir, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const bytes = readFileSync(join(dir, 'out.onnx')).length;
    expect(doc).toEqual({
      ok: true,
      model: 'lenet5',
      file: join(dir, 'out.onnx'),
      bytes,
      opset: 17,
      irVersion: 8,
    });
  });

  it('--seed changes the weights; --opset 21 writes IR 10', () => {
    const dir = scratch();
    expect(exportTo(dir, '--seed', '3', '--opset', '21').code).toBe(0);
    const m = decodeModel(readFileSync(join(dir, 'out.onnx')));
    expect([m.opsetImport[0]!.version, m.irVersion]).toEqual([21, 10]);
    const w = initWeights(lenet, shapes, 3).get('c1.weight')!;
    expect(
      sameFloatBytes(initializers(join(dir, 'out.onnx')).get('c1.weight')!.rawData!, w.data),
    ).toBe(true);
  });

  it("--weights exports the file's tensors; --pass fc-to-conv keeps the results", async () => {
    const weights = h.randomWeights(lenet, 5);
    const dir = scratch({ 'w.safetensors': encodeSafetensors(weights) });
    const w = join(dir, 'w.safetensors');
    expect(
      kiln(['export', example('lenet5.kiln'), '-o', join(dir, 'a.onnx'), '--weights', w]).code,
    ).toBe(0);
    const args = ['--weights', w, '--pass', 'fc-to-conv', '--opset', '13'];
    expect(kiln(['export', example('lenet5.kiln'), '-o', join(dir, 'b.onnx'), ...args]).code).toBe(
      0,
    );
    const a = initializers(join(dir, 'a.onnx'));
    for (const [name, t] of weights)
      expect(sameFloatBytes(a.get(name)!.rawData!, t.data)).toBe(true);
    const ops = decodeModel(readFileSync(join(dir, 'b.onnx'))).graph.node.map((n) => n.opType);
    expect(ops).not.toContain('Gemm');
    const inputs = h.randomInputs(lenet, 1, { N: 2 });
    const before = await h.runOrt(join(dir, 'a.onnx'), inputs);
    const after = await h.runOrt(join(dir, 'b.onnx'), inputs);
    const want = await h.runKiln(lenet, weights, inputs);
    expect(h.scaledError(before['logits']!, want['logits']!)).toBeLessThan(h.TOLERANCE);
    const out = Object.keys(after)[0]!;
    expect(h.scaledError(after[out]!, want['logits']!)).toBeLessThan(h.TOLERANCE);
  });

  it('--spatial writes a fully convolutional file that takes larger images', async () => {
    const dir = scratch();
    const r = exportTo(dir, '--pass', 'fc-to-conv', '--spatial', '--seed', '4');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('pass fc-to-conv: 3 changed');
    const file = join(dir, 'out.onnx');
    const m = decodeModel(readFileSync(file));
    expect(dimsOf(m.graph.input[0]!)).toEqual(['N', 1, 'H', 'W']);
    // LeNet-5 at 36x36: 36 -> pool 18 -> conv5 14 -> pool 7 -> the 5x5 global conv 3: a 3x3 map.
    const rewritten = runPasses(lenet, ['fc-to-conv'], initWeights(lenet, shapes, 4), {
      spatial: true,
    });
    const large = withInputShapes(rewritten.graph, { image: [1, 1, 36, 36] });
    const inputs = h.randomInputs(large, 2);
    const got = await h.runOrt(file, inputs);
    const want = await h.runKiln(large, rewritten.weights!, inputs);
    expect(got['logits']!.shape).toEqual([1, 10, 3, 3]);
    expect(h.scaledError(got['logits']!, want['logits']!)).toBeLessThan(h.TOLERANCE);
  });

  it('--pass gap-head gives the new head seeded weights and says it needs training', async () => {
    const dir = scratch();
    const r = exportTo(dir, '--pass', 'gap-head');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('`f5.weight`, `f5.bias` are freshly initialised (seed 0)');
    const inits = initializers(join(dir, 'out.onnx'));
    // f5 now reads the 16 pooled channels instead of 16x5x5 = 400 features.
    expect(inits.get('f5.weight')!.dims).toEqual([120, 16]);
    const seeded = initWeights(lenet, shapes, 0);
    expect(sameFloatBytes(inits.get('c1.weight')!.rawData!, seeded.get('c1.weight')!.data)).toBe(
      true,
    );
  });

  it('a GELU model exports at opset 13 (written with Erf) and 20 (Gelu)', () => {
    const dir = scratch({
      'g.kiln': 'model g {\n  input x: f32[N, 8]\n  d = dense 4\n  y = gelu\n}\n',
    });
    for (const opset of ['13', '20']) {
      const out = join(dir, `g${opset}.onnx`);
      expect(kiln(['export', join(dir, 'g.kiln'), '-o', out, '--opset', opset]).code).toBe(0);
      const ops = decodeModel(readFileSync(out)).graph.node.map((n) => n.opType);
      expect(ops).toContain(opset === '13' ? 'Erf' : 'Gelu');
    }
  });
});

describe('kiln export on bad input', () => {
  it('refuses to overwrite without --force, and overwrites with it', () => {
    const dir = scratch({ 'out.onnx': 'keep me' });
    const r = exportTo(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists; pass --force to overwrite it');
    expect(readFileSync(join(dir, 'out.onnx'), 'utf8')).toBe('keep me');
    expect(exportTo(dir, '--force').code).toBe(0);
    expect(decodeModel(readFileSync(join(dir, 'out.onnx'))).producerName).toBe('kiln');
    expect(readdirSync(dir)).toEqual(['out.onnx']);
  });

  it('an unwritable path is a clear error and leaves nothing behind', () => {
    const dir = scratch({ file: 'x' });
    const missing = kiln(['export', example('lenet5.kiln'), '-o', join(dir, 'no/such/out.onnx')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot write .*no such file or directory/);
    const underFile = kiln(['export', example('lenet5.kiln'), '-o', join(dir, 'file/out.onnx')]);
    expect(underFile.code).toBe(1);
    expect(underFile.stderr).toContain('cannot write');
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it.each(['12', '22', 'abc'])('--opset %s is refused', (opset) => {
    const dir = scratch();
    const r = exportTo(dir, '--opset', opset);
    // Out of range is a wrong request (1); not a number is a malformed command line (2).
    expect(r.code).toBe(opset === 'abc' ? 2 : 1);
    expect(r.stderr).toMatch(opset === 'abc' ? /needs an integer/ : /opsets 13 to 21/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('no -o, or an unknown pass, is a usage error', () => {
    expect(kiln(['export', example('lenet5.kiln')]).code).toBe(2);
    const dir = scratch();
    const r = exportTo(dir, '--pass', 'fc-to-cov');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean `fc-to-conv`?');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('mismatched weights are located at the layer and nothing is written', () => {
    const weights = new Map(h.randomWeights(lenet, 1));
    weights.delete('f6.bias');
    const w = weights.get('c3.weight')!;
    weights.set('c3.weight', { ...w, shape: [16, 6, 3, 3], data: new Float32Array(16 * 54) });
    const dir = scratch({ 'w.safetensors': encodeSafetensors(weights), 'bad.safetensors': 'nope' });
    const r = exportTo(dir, '--weights', join(dir, 'w.safetensors'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/lenet5\.kiln:\d+:\d+: error: missing weight `f6\.bias`/);
    expect(r.stderr).toContain('`c3.weight` has shape [16, 6, 3, 3], expected [16, 6, 5, 5]');
    const corrupt = exportTo(dir, '--weights', join(dir, 'bad.safetensors'));
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain('safetensors');
    const absent = exportTo(dir, '--weights', join(dir, 'none.safetensors'));
    expect(absent.code).toBe(1);
    expect(absent.stderr).toContain('cannot read weights');
    expect(existsSync(join(dir, 'out.onnx'))).toBe(false);
    writeFileSync(join(dir, 'marker'), '');
    expect(readdirSync(dir).sort()).toEqual(['bad.safetensors', 'marker', 'w.safetensors']);
  });
});
