import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { example, kiln, scratch } from './kiln.js';

describe('kiln summary on the examples', () => {
  it('VGG-16: torchvision parameter count, dense share and MACs', () => {
    const r = kiln(['summary', example('vgg16.kiln'), '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.totals.params).toBe(138_357_544);
    expect(doc.totals.denseParams).toBe(123_642_856);
    expect(doc.totals.denseShare).toBeCloseTo(0.8936, 4);
    expect(doc.totals.macs).toBe(15_470_264_320);
  });

  it('ResNet-18: learnable parameters only, and conv + dense MACs', () => {
    const doc = JSON.parse(kiln(['summary', example('resnet18.kiln'), '--json']).stdout);
    expect(doc.totals.params).toBe(11_689_512);
    expect(doc.totals.macs).toBe(1_814_073_344);
    // 20 batchnorm layers' running mean and variance: 2 * (64 + 4*64 + 4*128 + 4*256 + 4*512 + ...)
    expect(doc.totals.buffers).toBeGreaterThan(0);
  });

  it('prints a readable table with totals', () => {
    const r = kiln(['summary', example('vgg16.kiln')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/parameters\s+138,357,544/);
    expect(r.stdout).toMatch(/dense share\s+89\.36%/);
    expect(r.stdout).toMatch(/\[N, 512, 7, 7\]/);
  });

  it('shows a name holding a newline escaped, so the table keeps its rows', () => {
    // In backticks `\n` is a newline; printed raw it would split the row in two.
    const dir = scratch({ 'm.kiln': 'model m {\n  input x: f32[N, 4]\n  `a\\nb` = dense 3\n}\n' });
    const summary = kiln(['summary', join(dir, 'm.kiln')]);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toMatch(/^a\\nb +dense +\[N, 3\] +15 +12$/m);
    const check = kiln(['check', join(dir, 'm.kiln')]);
    expect(check.stdout).toContain('output a\\nb [N, 3]');
  });

  it('every example checks cleanly', () => {
    for (const name of ['lenet5', 'alexnet', 'vgg16', 'resnet18', 'googlenet', 'mlp-fashion']) {
      const r = kiln(['check', example(`${name}.kiln`)]);
      expect(r.stderr, name).toBe('');
      expect(r.code, name).toBe(0);
    }
  });
});

describe('kiln check on bad input', () => {
  const bad = (source: string | Uint8Array) => {
    const dir = scratch({ 'm.kiln': source });
    return kiln(['check', join(dir, 'm.kiln')]);
  };

  it('locates a misspelt op and suggests the right one', () => {
    const r = bad('model m {\n  input x: f32[N, 1, 8, 8]\n  maxpol 2\n}\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/m\.kiln:3:3: error: .*maxpol/);
    expect(r.stderr).toContain('did you mean `maxpool`?');
    expect(r.stderr).toMatch(/\n\s+3 \|\s+maxpol 2\n\s+\|\s+\^{6}/);
  });

  it('hints at flatten when dense gets a feature map', () => {
    const r = bad('model m {\n  input x: f32[N, 512, 7, 7]\n  dense 10\n}\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dense needs a 2-D input [N, K]; got [N, 512, 7, 7]');
    expect(r.stderr).toContain('add `flatten`');
  });

  it('rejects an empty file, non-UTF-8 bytes and a missing file without a stack trace', () => {
    for (const r of [
      bad(''),
      bad(new Uint8Array([0x6d, 0x6f, 0xff, 0xfe, 0x0a])),
      kiln(['check', '/nonexistent/x.kiln']),
    ]) {
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
      expect(r.stderr).toMatch(/error/);
    }
    expect(bad(new Uint8Array([0x6d, 0x6f, 0xff])).stderr).toMatch(
      /m\.kiln:1:3: error: .*not valid UTF-8/,
    );
  });

  it('survives a megabyte of random text', () => {
    let seed = 7;
    const chars = 'abcxyz0123 =[](){},.:;#\n\t"\'-+*/model block input dense conv relu';
    let text = '';
    while (text.length < 1 << 20) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      text += chars[seed % chars.length];
    }
    const r = bad(text);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/m\.kiln:\d+:\d+: error:/);
  });
});

describe('kiln usage errors', () => {
  it('exit 2 for an unknown command or option, with a suggestion', () => {
    const r = kiln(['sumary', 'x.kiln']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean `summary`?');
    const f = kiln(['summary', example('vgg16.kiln'), '--jsn']);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('did you mean `--json`?');
    expect(kiln([]).code).toBe(2);
  });

  it('under --json, report a failure as one JSON document on stdout as well', () => {
    const missing = kiln(['summary', 'no-such.kiln', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, exitCode: 1, diagnostics: [] });
    expect(JSON.parse(missing.stdout).error).toContain('no-such.kiln');
    const shape = kiln([
      'run',
      example('lenet5.kiln'),
      '--random',
      '1',
      '--shape',
      'image=1,3,2',
      '--json',
    ]);
    expect(shape.code).toBe(1);
    const doc = JSON.parse(shape.stdout);
    expect(doc.diagnostics[0]).toMatchObject({ code: 'ir/shape', span: { line: 6 } });
    const usage = kiln(['run', example('lenet5.kiln'), '--json', '--top', 'x']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ ok: false, exitCode: 2 });
    const unknown = kiln(['sumary', 'x.kiln', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error).toContain('unknown command `sumary`');
  });

  it('each usage line names every option its --help lists (or ends in [options])', () => {
    const overview = kiln(['--help']).stdout;
    const names = [...overview.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]!);
    expect(names).toEqual(['check', 'summary', 'rewrite', 'run', 'export', 'bench', 'train']);
    for (const name of names) {
      const help = kiln([name, '--help']);
      expect(help.code).toBe(0);
      const [usage, ...lines] = help.stdout.trimEnd().split('\n');
      const options = lines
        .map((l) => /^ {2}(?:(-\w), )?(--[\w-]+)/.exec(l)!)
        .filter((m) => m[2] !== '--help');
      if (usage!.includes('[options]')) continue;
      for (const [, short, long] of options) {
        expect(
          usage!.includes(`${long} `) ||
            usage!.includes(`${long}]`) ||
            usage!.includes(`${short} `),
          `${name}: ${long}`,
        ).toBe(true);
      }
    }
    // bench times one case per --budget milliseconds; its usage left that out.
    expect(kiln(['bench', '--help']).stdout).toContain(
      'usage: kiln bench [--backend cpu|wasm|webgpu] [--threads T] [--budget MS] [--json]',
    );
  });

  it('exit 2 for an option given two values, naming both', () => {
    const r = kiln(['run', example('lenet5.kiln'), '--random', '1', '--top', '3', '--top=5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('option `--top` is given twice (`3` and `5`)');
    expect(r.stdout).toBe('');
  });
});
