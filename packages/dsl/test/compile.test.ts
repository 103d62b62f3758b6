/** Lowering semantics: naming, scopes, blocks, repeat, freeze, outputs, values. */
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';

function graph(body: string, blocks = '') {
  const result = compile(`${blocks}model m {\n  input x: f32[N, 4, 8, 8]\n${body}\n}\n`);
  expect(result.diagnostics).toEqual([]);
  return result.graph!;
}

const edges = (g: ReturnType<typeof graph>) =>
  g.nodes.map((n) => `${n.name}=${n.op}(${n.inputs.join(',')})${n.frozen ? '!' : ''}`);

describe('compile', () => {
  it('chains statements, numbers auto names per op, and names flag nodes after the layer', () => {
    const g = graph(
      '  conv 4 kernel=3 pad=1 relu\n  c = conv 4 kernel=3 pad=1 relu\n  add(c, x) sigmoid tanh',
    );
    expect(edges(g)).toEqual([
      'x=input()',
      'conv1=conv(x)',
      'conv1_relu=relu(conv1)',
      'c=conv(conv1_relu)',
      'c_relu=relu(c)',
      'add1=add(c_relu,x)',
      'add1_sigmoid=sigmoid(add1)',
      'add1_sigmoid_tanh=tanh(add1_sigmoid)',
    ]);
    expect(g.outputs).toEqual(['add1_sigmoid_tanh']);
  });

  it('never gives an auto name that the model writes later', () => {
    const g = graph('  relu\n  relu1 = relu');
    expect(g.nodes.map((n) => n.name)).toEqual(['x', 'relu2', 'relu1']);
  });

  it('fills positional attributes and normalises through core', () => {
    const g = graph('  conv 8 kernel=[3, 1] pad=[1, 0]\n  maxpool 2');
    expect(g.nodes[1]!.attrs).toMatchObject({ channels: 8, kernel: [3, 1], pad: [1, 0, 1, 0] });
    expect(g.nodes[2]!.attrs).toMatchObject({ kernel: [2, 2], stride: [2, 2] });
  });

  it('expands blocks in their own scope, with `in`, parameters, arithmetic and defaults', () => {
    const blocks =
      'block res(ch, mid=ch/2) {\n  a = conv mid kernel=1\n  b = conv ch*1 kernel=1\n  add(b, in)\n}\n';
    const g = graph('  r = res 4\n  s = res(r) ch=4 relu', blocks);
    expect(edges(g)).toEqual([
      'x=input()',
      'r.a=conv(x)',
      'r.b=conv(r.a)',
      'r.add1=add(r.b,x)',
      's.a=conv(r.add1)',
      's.b=conv(s.a)',
      's.add1=add(s.b,r.add1)',
      's_relu=relu(s.add1)',
    ]);
    expect(g.nodes[1]!.attrs['channels']).toBe(2);
  });

  it('indexes repeat iterations and reads the previous iteration', () => {
    const g = graph('  stack = repeat 2 { relu }\n  repeat 1 { sigmoid }');
    expect(edges(g)).toEqual([
      'x=input()',
      'stack.0.relu1=relu(x)',
      'stack.1.relu1=relu(stack.0.relu1)',
      'repeat1.0.sigmoid1=sigmoid(stack.1.relu1)',
    ]);
  });

  it('freezes single layers, groups and whole block instances', () => {
    const blocks = 'block two() {\n  relu\n  relu\n}\n';
    const g = graph(
      '  freeze conv 4 kernel=1 relu\n  freeze { sigmoid }\n  t = freeze two\n  tanh',
      blocks,
    );
    expect(edges(g)).toEqual([
      'x=input()',
      'conv1=conv(x)!',
      'conv1_relu=relu(conv1)!',
      'sigmoid1=sigmoid(conv1_relu)!',
      't.relu1=relu(sigmoid1)!',
      't.relu2=relu(t.relu1)!',
      'tanh1=tanh(t.relu2)',
    ]);
  });

  it('takes explicit outputs and keeps the train section as written', () => {
    const result = compile(
      'model m {\n  input x: f32[N, 4]\n  a = dense 3\n  b = dense(x) 2\n  output a, b\n' +
        '  train {\n    loss mse\n    optimizer adam beta1=0.9\n    lr 1e-3\n    shuffle\n  }\n}\n',
    );
    expect(result.diagnostics).toEqual([]);
    const g = result.graph!;
    expect(g.outputs).toEqual(['a', 'b']);
    const plain = Object.fromEntries(
      Object.entries(g.training!).map(([k, e]) => [k, [e.value, e.options]]),
    );
    expect(plain).toEqual({
      loss: ['mse', {}],
      optimizer: ['adam', { beta1: 0.9 }],
      lr: [0.001, {}],
      shuffle: [true, {}],
    });
  });

  it('reports value errors: inexact division, non-integer arithmetic, bad repeat counts', () => {
    const codes = (src: string) => compile(src).diagnostics.map((d) => d.code);
    const wrap = (body: string) =>
      `block b(ch) {\n  ${body}\n}\nmodel m {\n  input x: f32[N, 4]\n  b 3\n}\n`;
    expect(codes(wrap('dense ch/2'))).toEqual(['dsl/expr']);
    expect(codes(wrap('dense ch*0.5'))).toEqual(['dsl/expr']);
    expect(codes(wrap('repeat -1 { relu }'))).toEqual(['dsl/repeat-count']);
    expect(
      codes('block conv() {\n  relu\n}\nmodel m {\n  input x: f32[N, 4]\n  relu\n}\n'),
    ).toEqual(['dsl/block-def']);
  });

  it('reports misplaced statements and layers without input', () => {
    const codes = compile(
      'block b() {\n  input y: f32[N]\n}\nmodel m {\n  relu\n}\n',
    ).diagnostics.map((d) => d.code);
    expect(codes).toEqual(['dsl/no-input']);
    const inBlock = compile(
      'block b() {\n  input y: f32[N]\n}\nmodel m {\n  input x: f32[N, 2]\n  b\n}\n',
    );
    expect(inBlock.diagnostics.map((d) => d.code)).toContain('dsl/misplaced');
  });
});
