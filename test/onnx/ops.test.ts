/**
 * Each op, alone or in a small graph, at the lowest, default and newest opsets and at opset 20
 * (where Gelu appears): onnxruntime runs the file and matches Kiln's CPU backend on a batch of 2,
 * and onnx.checker accepts the opset-13 and -17 files. Shapes and attributes are chosen where
 * a wrong mapping shows: asymmetric pads, strides that leave a remainder, ceil-mode windows that
 * hang past the input, negative axes, and 3-way adds.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../packages/onnx/src/index.js';
import { checkOnnx, useChecker } from './checker.js';
import { decodeModel } from './decode.js';
import * as h from './harness.js';

const OPSETS = [13, 17, 20, 21];

const cases: Record<string, string> = {
  conv: 'input x: f32[N, 4, 9, 8]\n c = conv 6 kernel=[3, 2] stride=2 pad=[1, 0, 2, 1]',
  conv_dilated_grouped:
    'input x: f32[N, 4, 9, 9]\n c = conv 6 kernel=3 dilation=2 groups=2 pad=2 bias=false',
  dense: 'input x: f32[N, 7]\n d = dense 5\n e = dense 3 bias=false',
  maxpool: 'input x: f32[N, 3, 9, 9]\n p = maxpool 3 stride=2 pad=1',
  maxpool_ceil: 'input x: f32[N, 3, 6, 6]\n p = maxpool 3 stride=2 pad=1 ceil_mode=true',
  maxpool_ceil_dropped: 'input x: f32[N, 3, 5, 5]\n p = maxpool 2 stride=2 pad=1 ceil_mode=true',
  avgpool: 'input x: f32[N, 3, 7, 7]\n p = avgpool 3 stride=2 pad=1',
  avgpool_no_pad_count:
    'input x: f32[N, 3, 7, 7]\n p = avgpool 3 stride=2 pad=1 count_include_pad=false',
  avgpool_ceil: 'input x: f32[N, 3, 6, 6]\n p = avgpool 3 stride=2 pad=1 ceil_mode=true',
  avgpool_ceil_no_pad_count:
    'input x: f32[N, 3, 6, 6]\n p = avgpool 3 stride=2 pad=1 ceil_mode=true count_include_pad=false',
  global_avgpool: 'input x: f32[N, 5, 4, 3]\n g = global_avgpool\n f = flatten',
  reshape: 'input x: f32[N, 4, 3, 2]\n r = reshape [6, -1]\n s = softmax axis=-1',
  activations:
    'input x: f32[N, 6]\n a = relu\n b = dense 6\n c = sigmoid\n d = dense 6\n e = tanh\n f = leaky_relu 0.2\n g = dropout 0.3',
  gelu: 'input x: f32[N, 3, 4, 4]\n g = gelu',
  gelu_tanh: 'input x: f32[N, 3, 4, 4]\n g = gelu approximate=tanh',
  softmax_channels: 'input x: f32[N, 5, 2, 3]\n s = softmax',
  batchnorm:
    'input x: f32[N, 4, 3, 3]\n b = batchnorm eps=0.01 momentum=0.2\n f = flatten\n v = batchnorm',
  add_concat: [
    'input x: f32[N, 4, 5, 5]',
    ' a = conv(x) 4 kernel=1',
    ' b = conv(x) 4 kernel=3 pad=1',
    ' s = add(a, b, x)',
    ' t = add(a, b)',
    ' c = concat(s, t, x)',
  ].join('\n'),
};

const dir = h.scratchDir();
const checked: string[] = [];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = (name: string, body: string) => h.fromSource(`model ${name} {\n ${body}\n}\n`);

describe.each(Object.keys(cases))('%s', (name) => {
  it.each(OPSETS)('opset %i: onnxruntime matches Kiln', async (opset) => {
    const graph = model(name, cases[name]!);
    const weights = h.randomWeights(graph, 3);
    const inputs = h.randomInputs(graph, 5, { N: 2 });
    const bytes = exportOnnx(graph, h.shapesOf(graph), weights, { opset });
    if (opset <= 17) checked.push(h.writeModel(dir, `${name}-${opset}`, bytes));
    const want = await h.runKiln(graph, weights, inputs);
    const got = await h.runOrt(bytes, inputs);
    for (const out of graph.outputs) {
      expect(h.scaledError(got[out]!, want[out]!), out).toBeLessThan(h.TOLERANCE);
    }
  });
});

describe('how ops are spelt', () => {
  const opTypes = (name: string, opset: number) => {
    const graph = model(name, cases[name]!);
    const bytes = exportOnnx(graph, h.shapesOf(graph), h.randomWeights(graph, 3), { opset });
    return decodeModel(bytes).graph.node;
  };

  it('Gelu from opset 20; Erf or Tanh decompositions below', () => {
    expect(opTypes('gelu', 20).map((n) => n.opType)).toEqual(['Gelu']);
    expect(opTypes('gelu', 17).map((n) => n.opType)).toContain('Erf');
    expect(opTypes('gelu_tanh', 17).map((n) => n.opType)).toContain('Tanh');
    const tanh = opTypes('gelu_tanh', 21)[0]!;
    expect(new TextDecoder().decode(tanh.attribute!.find((a) => a.name === 'approximate')!.s)).toBe(
      'tanh',
    );
  });

  it('ceil_mode only where it adds a window ONNX also counts', () => {
    const ceil = (name: string) =>
      opTypes(name, 17)[0]!.attribute!.find((a) => a.name === 'ceil_mode')!.i ?? 0;
    expect(ceil('maxpool_ceil')).toBe(1); // 6 -> 4 windows, the last one partial
    expect(ceil('maxpool_ceil_dropped')).toBe(0); // the ceil window would start in the padding
    expect(ceil('maxpool')).toBe(0);
  });

  it('Sum for three addends, Add for two; Identity for dropout', () => {
    const types = opTypes('add_concat', 17).map((n) => n.opType);
    expect(types).toEqual(['Conv', 'Conv', 'Sum', 'Add', 'Concat']);
    expect(opTypes('activations', 13).map((n) => n.opType)).toEqual([
      'Relu',
      'Gemm',
      'Sigmoid',
      'Gemm',
      'Tanh',
      'LeakyRelu',
      'Identity',
    ]);
  });

  it('conv pads in ONNX order [top, left, bottom, right]', () => {
    const conv = opTypes('conv', 13)[0]!;
    const get = (n: string) => conv.attribute!.find((a) => a.name === n)!.ints;
    expect(get('pads')).toEqual([1, 0, 2, 1]);
    expect(get('kernel_shape')).toEqual([3, 2]);
    expect(get('strides')).toEqual([2, 2]);
  });
});

describe.runIf(useChecker())('onnx.checker', () => {
  it('accepts every op export at opsets 13 and 17', () => {
    expect(checked.length).toBe(Object.keys(cases).length * 2);
    const outcomes = checkOnnx(checked);
    for (const file of checked) expect(outcomes.get(file), file).toEqual({ file, ok: true });
  }, 120_000);
});
