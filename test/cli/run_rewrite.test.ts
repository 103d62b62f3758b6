import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy, encodeSafetensors } from '@kiln/core';
import type { Tensor } from '@kiln/core';
import { example, kiln, root, scratch } from './kiln.js';

const t = (shape: number[], values: number[]): Tensor => ({
  dtype: 'f32',
  shape,
  data: Float32Array.from(values),
});

const tiny = 'model tiny {\n  input x: f32[N, 2]\n  fc = dense 2\n}\n';
// y = x·Wᵀ + b with W = [[1, 2], [3, 4]], b = [0.5, -1]; for x = [1, 1]: [3.5, 6]; x = [2, -1]: [0.5, 1].
const tinyWeights = () =>
  encodeSafetensors(
    new Map([
      ['fc.weight', t([2, 2], [1, 2, 3, 4])],
      ['fc.bias', t([2], [0.5, -1])],
    ]),
  );

describe('kiln run', () => {
  it('computes a dense layer from given weights and a .npy input', () => {
    const dir = scratch({
      'm.kiln': tiny,
      'w.safetensors': tinyWeights(),
      'x.npy': encodeNpy(t([2, 2], [1, 1, 2, -1])),
    });
    const r = kiln([
      'run',
      join(dir, 'm.kiln'),
      '--weights',
      join(dir, 'w.safetensors'),
      '--input',
      join(dir, 'x.npy'),
      '--json',
    ]);
    expect(r.stderr).toContain('backend: cpu');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).outputs.fc).toEqual({ shape: [2, 2], data: [3.5, 6, 0.5, 1] });
  });

  it('takes JSON inputs and prints top-k classes', () => {
    const dir = scratch({
      'm.kiln': tiny,
      'w.safetensors': tinyWeights(),
      'x.json': JSON.stringify({ x: [[2, -1]] }),
    });
    const r = kiln([
      'run',
      join(dir, 'm.kiln'),
      '--weights',
      join(dir, 'w.safetensors'),
      '--input',
      join(dir, 'x.json'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sample 0: 1 (1), 0 (0.5)');
  });

  it('runs an example with seeded weights and random input, deterministically', () => {
    const a = kiln(['run', example('lenet5.kiln'), '--random', '3', '--json']);
    const b = kiln(['run', example('lenet5.kiln'), '--random', '3', '--json']);
    expect(a.code).toBe(0);
    const out = Object.values(JSON.parse(a.stdout).outputs)[0] as {
      shape: number[];
      data: number[];
    };
    expect(out.shape).toEqual([1, 10]);
    expect(a.stdout).toBe(b.stdout);
    expect(kiln(['run', example('lenet5.kiln'), '--random', '4', '--json']).stdout).not.toBe(
      a.stdout,
    );
  });

  it('refuses bad inputs with clear errors and exit 1', () => {
    const nan = encodeNpy(t([1, 2], [1, Number.NaN]));
    const dir = scratch({
      'm.kiln': tiny,
      'bad.npy': encodeNpy(t([1, 3], [1, 2, 3])),
      'nan.npy': nan,
      'x.json': '{"x": [[1, 2], [3]]}',
      'big.json': '{"x": [[1, 1e39]]}',
      'bigflat.json': '{"x": {"shape": [1, 2], "data": [-1e39, 1]}}',
      'deep.json': `{"x": ${'['.repeat(3000)}1${']'.repeat(3000)}}`,
    });
    const cases: [string[], RegExp][] = [
      [['--input', join(dir, 'bad.npy')], /x.*\[1, 3\]/],
      [['--input', join(dir, 'nan.npy')], /NaN/],
      [['--input', join(dir, 'x.json')], /rectangular/],
      // 1e39 is past float32's range: named where it is, not reported as Infinity.
      [
        ['--input', join(dir, 'big.json')],
        /big.json: "x"\[0\]\[1\] is 1e\+39, past float32.s largest/,
      ],
      [
        ['--input', join(dir, 'bigflat.json')],
        /bigflat.json: "x"\.data\[0\] is -1e\+39, past float32/,
      ],
      [['--input', join(dir, 'deep.json')], /nested more than 16 arrays deep/],
      [['--input', join(dir, 'none.npy')], /no such file/],
    ];
    for (const [args, message] of cases) {
      const r = kiln(['run', join(dir, 'm.kiln'), ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('--threads runs the wasm backend on a worker pool, with the same scores as the cpu', () => {
    const args = ['run', example('lenet5.kiln'), '--random', '3', '--json'];
    const cpu = kiln(args);
    const wasm = kiln([...args, '--backend', 'wasm', '--threads', '2']);
    expect(wasm.code).toBe(0);
    expect(wasm.stderr).toContain('backend: wasm (threads 2');
    const a = JSON.parse(cpu.stdout).outputs.logits.data as number[];
    const b = JSON.parse(wasm.stdout).outputs.logits.data as number[];
    const scale = Math.max(...a.map(Math.abs));
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / scale).toBeLessThan(1e-5);
    for (const bad of [
      ['--backend', 'cpu', '--threads', '2'],
      ['--backend', 'wasm', '--threads', '0'],
      ['--backend', 'wasm', '--threads', '65'],
    ]) {
      expect(kiln([...args, ...bad]).code, bad.join(' ')).toBe(2);
    }
  });

  it('refuses a --shape that would change the weights', () => {
    // LeNet-5 at 32x32 ends on a 16x6x6 map, so f5 would need 576 in-features instead of 400.
    const r = kiln(['run', example('lenet5.kiln'), '--shape', 'image=1,1,32,32']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('`f5.weight` would be [120, 576] instead of [120, 400]');
    const batch = kiln(['run', example('lenet5.kiln'), '--shape', 'image=3,1,28,28', '--json']);
    expect(batch.code).toBe(0);
    expect(JSON.parse(batch.stdout).outputs.logits.shape).toEqual([3, 10]);
  });

  it('refuses runs too large for memory before allocating them', () => {
    const big = 'model big {\n  input x: f32[N, 100000]\n  dense 100000\n  dense 100000\n}\n';
    const dir = scratch({ 'big.kiln': big });
    const weights = kiln(['run', join(dir, 'big.kiln'), '--random', '1']);
    expect(weights.code).toBe(1);
    // 100000 x 100000 float32 values: 1e10, past V8's limit of 2^32 - 1 per typed array.
    expect(weights.stderr).toContain('a tensor of 10000000000 values (`dense1.weight`');
    const batch = kiln(['run', example('lenet5.kiln'), '--shape', 'image=1000000,1,28,28']);
    expect(batch.code).toBe(1);
    // conv c1's output: 1e6 x 6 x 28 x 28 = 4.704e9 values.
    expect(batch.stderr).toContain('a tensor of 4704000000 values (`c1` [1000000, 6, 28, 28]');
    const exported = kiln(['export', join(dir, 'big.kiln'), '-o', join(dir, 'big.onnx')]);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toContain('model `big` is too large: its weights need');
    // 40000 x 30000 weights are 4.5 GiB: past a wasm32 memory, though this machine could hold it.
    const wide = 'model wide {\n  input x: f32[N, 40000]\n  dense 30000\n}\n';
    writeFileSync(join(dir, 'wide.kiln'), wide);
    const wasm = kiln(['run', join(dir, 'wide.kiln'), '--backend', 'wasm', '--random', '1']);
    expect(wasm.code).toBe(1);
    expect(wasm.stderr).toContain('too large for the wasm backend');
    expect(wasm.stderr).toContain(
      'alone need 4.47 GiB (4800400000 bytes); a wasm32 memory holds at most 4 GiB (4294967296 bytes)',
    );
    // A relu over a 4 GiB input: its input and output alone need 8 GiB of one wasm memory.
    writeFileSync(
      join(dir, 'relu.kiln'),
      'model r {\n  input x: f32[N, 64, 4096, 4096]\n  relu\n}\n',
    );
    const step = kiln(['run', join(dir, 'relu.kiln'), '--backend', 'wasm', '--random', '1']);
    expect(step.code).toBe(1);
    expect(step.stderr).toContain(
      'its weights and its largest step alone need 8 GiB (8589934592 bytes); a wasm32 memory',
    );
    // Training holds a gradient beside each weight: 2 x 3.5 GiB here, refused before training.
    writeFileSync(
      join(dir, 'train.kiln'),
      'model t {\n  input x: f32[N, 784]\n  h = dense 1200000\n  y = dense 10\n}\n',
    );
    const data = join(root, 'test/train/data/fashion-mnist-2k');
    const train = kiln([
      'train',
      join(dir, 'train.kiln'),
      '--data',
      data,
      '--backend',
      'wasm',
      '--loss',
      'cross_entropy',
      '-o',
      join(dir, 'w.st'),
    ]);
    expect(train.code).toBe(1);
    expect(train.stderr).toContain(
      'training `t` with x [32, 784] is too large for the wasm backend',
    );
  });

  it('gives the bytes when a run is just past a wasm32 memory, so the sizes never read equal', () => {
    // Weights 32768 x 32766 + bias, plus the dense step's input and output at batch 1:
    // 4 (32770 * 32766 + 32768) = 4295098352 bytes, 131056 past 4 GiB: "4.0 GiB" both, rounded.
    const dir = scratch({
      'edge.kiln': 'model edge {\n  input x: f32[N, 32768]\n  dense 32766\n}\n',
    });
    const r = kiln(['run', join(dir, 'edge.kiln'), '--backend', 'wasm', '--random', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: running `edge` with x [1, 32768] is too large for the wasm backend: its weights ' +
        'and its largest step alone need 4.00 GiB (4295098352 bytes); a wasm32 memory holds ' +
        'at most 4 GiB (4294967296 bytes)',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an input of another rank, located, and an input or shape given twice', () => {
    const dir = scratch({ 'flat.npy': encodeNpy(t([784], new Array(784).fill(0))) });
    const flat = kiln(['run', example('lenet5.kiln'), '--input', join(dir, 'flat.npy'), '--json']);
    expect(flat.code).toBe(1);
    const doc = JSON.parse(flat.stdout);
    expect(doc.error).toContain('input `image` expects shape [N, 1, 28, 28], got [784]');
    expect(doc.diagnostics[0]).toMatchObject({ span: { line: 5 } });
    const shapes = ['--shape', 'image=1,1,28,28', '--shape', 'image=2,1,28,28'];
    const twice = kiln(['run', example('lenet5.kiln'), ...shapes]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('--shape gives input `image` twice (1,1,28,28 and 2,1,28,28)');
    const f = join(dir, 'flat.npy');
    const inputs = kiln(['run', example('lenet5.kiln'), '--input', f, '--input', `image=${f}`]);
    expect(inputs.code).toBe(2);
    expect(inputs.stderr).toContain('--input gives input `image` twice');
  });

  it('refuses weights files that do not fit', () => {
    const good = tinyWeights();
    const files = {
      'm.kiln': tiny,
      'missing.safetensors': encodeSafetensors(new Map([['fc.weight', t([2, 2], [1, 2, 3, 4])]])),
      'shape.safetensors': encodeSafetensors(
        new Map([
          ['fc.weight', t([2, 3], [1, 2, 3, 4, 5, 6])],
          ['fc.bias', t([2], [0, 0])],
        ]),
      ),
      'extra.safetensors': encodeSafetensors(
        new Map([
          ['fc.weight', t([2, 2], [1, 2, 3, 4])],
          ['fc.bias', t([2], [0, 0])],
          ['fc2.weight', t([1], [0])],
        ]),
      ),
      'cut.safetensors': good.subarray(0, good.length - 3),
      'nan.safetensors': encodeSafetensors(
        new Map([
          ['fc.weight', t([2, 2], [1, 2, Number.NaN, 4])],
          ['fc.bias', t([2], [0, 0])],
        ]),
      ),
    };
    const dir = scratch(files);
    const expectations: Record<string, RegExp> = {
      'missing.safetensors': /fc\.bias/,
      'shape.safetensors': /fc\.weight.*\[2, 3\]|\[2, 3\].*fc\.weight/,
      'extra.safetensors': /fc2\.weight/,
      'cut.safetensors': /truncated|corrupt|size/i,
      'nan.safetensors': /`fc\.weight` holds NaN at flat index 2/,
    };
    for (const [file, message] of Object.entries(expectations)) {
      const r = kiln(['run', join(dir, 'm.kiln'), '--weights', join(dir, file)]);
      expect(r.code, file).toBe(1);
      expect(r.stderr, file).toMatch(message);
    }
  });

  it('refuses a weights file whose header repeats a name, overlaps or runs past the data', () => {
    /** A safetensors file from a header written as text, so it can say what JSON cannot keep. */
    const handMade = (header: string, values: number[]): Uint8Array => {
      const json = new TextEncoder().encode(header);
      const file = new Uint8Array(8 + json.length + 4 * values.length);
      const view = new DataView(file.buffer);
      view.setUint32(0, json.length, true);
      file.set(json, 8);
      values.forEach((v, i) => view.setFloat32(8 + json.length + 4 * i, v, true));
      return file;
    };
    const entry = (shape: number[], begin: number, end: number) =>
      `{"dtype":"F32","shape":[${shape}],"data_offsets":[${begin},${end}]}`;
    const w = entry([2, 2], 0, 16);
    const b = entry([2], 16, 24);
    const dir = scratch({
      'm.kiln': tiny,
      // JSON.parse keeps the second `fc.weight`; which one was meant cannot be told.
      'twice.safetensors': handMade(
        `{"fc.weight":${w},"fc.bias":${b},"fc.weight":${entry([2, 2], 24, 40)}}`,
        [1, 2, 3, 4, 0.5, -1, 5, 6, 7, 8],
      ),
      'overlap.safetensors': handMade(
        `{"fc.weight":${w},"fc.bias":${entry([2], 12, 20)}}`,
        [1, 2, 3, 4, 5, 6],
      ),
      'past.safetensors': handMade(`{"fc.weight":${w},"fc.bias":${b}}`, [1, 2, 3, 4, 5]),
    });
    const expectations: Record<string, string> = {
      'twice.safetensors': 'error: safetensors: the header names `fc.weight` twice',
      'overlap.safetensors': 'error: safetensors: tensors `fc.weight` and `fc.bias` overlap',
      'past.safetensors':
        'error: safetensors: tensor `fc.bias` ends at byte 24 of the data, which has only 20 bytes',
    };
    for (const [file, message] of Object.entries(expectations)) {
      const r = kiln(['run', join(dir, 'm.kiln'), '--weights', join(dir, file)]);
      expect(r.code, file).toBe(1);
      expect(r.stderr, file).toContain(`${join(dir, file)}: ${message}`);
      expect(r.stderr, file).not.toMatch(/\n\s+at /);
    }
  });

  it('refuses a backend it does not have, with exit 2', () => {
    const r = kiln(['run', example('lenet5.kiln'), '--backend', 'metal']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown backend `metal`; available: cpu, wasm, webgpu');
  });
});

describe('kiln rewrite', () => {
  it('prints fc-to-conv output as Kiln text that checks, and verifies it', () => {
    const dir = scratch();
    const r = kiln(['rewrite', example('lenet5.kiln'), '--pass', 'fc-to-conv', '--verify']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\bdense\b/);
    expect(r.stdout).toMatch(/conv 120 kernel=5/);
    expect(r.stderr).toMatch(/verify: .*max \|diff\| \S+, max relative \S+/);
    expect(r.stderr).toContain('verify: ok');
    writeFileSync(join(dir, 'conv.kiln'), r.stdout);
    expect(kiln(['check', join(dir, 'conv.kiln')]).code).toBe(0);
  });

  it('runs a fully convolutional rewrite on a larger input', () => {
    const model = [
      'model fcn {',
      '  input image: f32[N, 1, 8, 8]',
      '  conv 4 kernel=3 relu',
      '  maxpool 2',
      '  flatten',
      '  dense 5',
      '}',
      '',
    ].join('\n');
    const dir = scratch({ 'm.kiln': model });
    const out = join(dir, 'fcn.kiln');
    const r = kiln([
      'rewrite',
      join(dir, 'm.kiln'),
      '--pass',
      'fc-to-conv',
      '--spatial',
      '--verify',
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    // At the model's own size the map is [N, 5, 1, 1]: the same scores as [N, 5].
    expect(r.stderr).toContain('verify: ok');
    // 12x12 input: conv 3 -> 10x10, pool 2 -> 5x5, global 3x3 kernel -> 3x3 map of 5 classes.
    const run = kiln(['run', out, '--shape', 'image=1,1,12,12', '--json']);
    expect(run.code).toBe(0);
    const outputs = Object.values(JSON.parse(run.stdout).outputs) as { shape: number[] }[];
    expect(outputs[0]!.shape).toEqual([1, 5, 3, 3]);
  });

  it('never overwrites without --force, and names unknown passes', () => {
    const dir = scratch({ 'keep.kiln': 'precious\n' });
    const r = kiln([
      'rewrite',
      example('lenet5.kiln'),
      '--pass',
      'fc-to-conv',
      '-o',
      join(dir, 'keep.kiln'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--force');
    expect(readFileSync(join(dir, 'keep.kiln'), 'utf8')).toBe('precious\n');
    const u = kiln(['rewrite', example('lenet5.kiln'), '--pass', 'fc-to-cnv']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('did you mean `fc-to-conv`?');
  });
});

describe('kiln rewrite --pass drop-dropout', () => {
  it('keeps output names: a dropout that is an output stays when its input cannot take its name', () => {
    const model = [
      'model twice {',
      '  input x: f32[N, 4]',
      '  a = dense 4',
      '  dropout 0.99',
      '  b = dropout(a) 0.0',
      '  output a, b',
      '}',
      '',
    ].join('\n');
    const dir = scratch({ 'm.kiln': model });
    const r = kiln(['rewrite', join(dir, 'm.kiln'), '--pass', 'drop-dropout', '--verify']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/output a, b\b/);
    expect(r.stdout).not.toContain('0.99');
    expect(r.stderr).toContain(
      'b: it is a model output; removing it would rename the output (`a` is an output too)',
    );
    expect(r.stderr).toContain('verify: ok');
    writeFileSync(join(dir, 'out.kiln'), r.stdout);
    expect(kiln(['check', join(dir, 'out.kiln')]).code).toBe(0);
  });
});
