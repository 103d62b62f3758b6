/**
 * Numeric options, as a user types them: every command reads them as decimal text only, and a
 * refusal is a usage error (exit 2) naming the option, the text given and the range it takes.
 * `Number()` would read `0x10`, `0b11`, `0o7`, `Infinity` and a blank as numbers.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_THREADS } from '../../packages/backend-wasm/src/backend.js';
import { example, kiln, root, scratch } from './kiln.js';

const lenet = example('lenet5.kiln');
const mlp = example('mlp-fashion.kiln');
const data = join(root, 'test/train/data/fashion-mnist-2k');

function refused(args: string[], message: string): void {
  const r = kiln(args);
  expect(r.code, args.join(' ')).toBe(2);
  expect(r.stderr, args.join(' ')).toContain(message);
  expect(r.stderr).toContain('usage: kiln ');
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('--threads', () => {
  it('states the range the wasm backend takes, on run, bench and train', () => {
    const commands = [
      ['run', lenet, '--backend', 'wasm'],
      ['bench', '--backend', 'wasm'],
      ['train', mlp, '--data', data, '-o', join(scratch(), 'w'), '--backend', 'wasm'],
    ];
    for (const command of commands) {
      for (const bad of ['1e9', '1.5', 'two', '0x2', '0', '-1', String(MAX_THREADS + 1)]) {
        refused(
          [...command, '--threads', bad],
          `option \`--threads\` needs an integer from 1 to ${MAX_THREADS}, got \`${bad}\``,
        );
      }
    }
  });

  it('says the range in --help', () => {
    const r = kiln(['bench', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`--threads VALUE +wasm: threads per session, 1 to ${MAX_THREADS}`),
    );
  });
});

describe('decimal numbers only', () => {
  const train = ['train', mlp, '--data', data, '-o', join(scratch(), 'w')];

  it('refuses --lr written in hex, binary, octal, as Infinity, blank, zero or negative', () => {
    for (const bad of ['0x10', '0b1', '0o7', 'Infinity', '-Infinity', '', ' ', '1e999', 'NaN']) {
      refused(
        [...train, '--lr', bad],
        `option \`--lr\` needs a finite decimal number above 0 (such as 0.01 or 1e-3), got \`${bad}\``,
      );
    }
    for (const bad of ['0', '-0.5', '0e5', 'fast', '1,5', '1.5.2']) {
      refused([...train, '--lr', bad], `option \`--lr\` needs a finite decimal number above 0`);
    }
  });

  it('takes --lr with a sign, a fraction and an exponent', () => {
    for (const lr of ['+0.05', '.05', '5e-2', '5E-2', '0.5e-1']) {
      const r = kiln([...train, '--lr', lr, '--epochs', '1', '--limit', '32', '--force']);
      expect(r.code, `--lr ${lr}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toContain('sgd lr 0.05,');
    }
  });

  it('refuses integers in any other notation, on every command, naming the range', () => {
    const any = `from ${-Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;
    const cases: [string[], string][] = [
      [['run', lenet, '--random', '0x10'], `\`--random\` needs an integer ${any}, got \`0x10\``],
      [['run', lenet, '--seed', '1e3'], `\`--seed\` needs an integer ${any}, got \`1e3\``],
      [['run', lenet, '--top', ''], `\`--top\` needs an integer from 1 to`],
      [['run', lenet, '--top', '0'], `\`--top\` needs an integer from 1 to`],
      [['bench', '--budget', '1.5'], `\`--budget\` needs an integer from 1 to`],
      [['export', lenet, '-o', 'x.onnx', '--opset', '0x11'], `\`--opset\` needs an integer`],
      [['rewrite', lenet, '--pass', 'fc-to-conv', '--seed', 'Infinity'], `\`--seed\` needs`],
      [[...train, '--epochs', '0b1'], `\`--epochs\` needs an integer from 1 to`],
      [[...train, '--epochs', '0'], `\`--epochs\` needs an integer from 1 to`],
      [[...train, '--batch-size', '3.0'], `\`--batch-size\` needs an integer from 1 to`],
      [[...train, '--limit', '-5'], `\`--limit\` needs an integer from 1 to`],
      [[...train, '--seed', '9007199254740993'], `\`--seed\` needs an integer ${any}`],
    ];
    for (const [args, message] of cases) refused(args, message);
  });

  it('takes an integer with a sign', () => {
    const a = kiln(['run', lenet, '--random', '+3', '--top', '+2', '--json']);
    const b = kiln(['run', lenet, '--random', '3', '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
});
