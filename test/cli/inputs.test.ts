/**
 * `kiln run --input`: a path that cannot be read is named with the reason in words (never Node's
 * "EISDIR: illegal operation on a directory, read"), and .npy files of other dtypes are converted
 * to float32 only where the values survive it. A FIFO or a device given for any file a command
 * reads (input, model, weights, checkpoint) is refused at once, not waited on or read forever.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeSafetensors } from '@kiln/core';
import type { Io } from '../../apps/cli/src/index.js';
import { runCli } from '../../apps/cli/src/index.js';
import { example, kiln, root, scratch } from './kiln.js';

const tiny = 'model tiny {\n  input x: f32[N, 2]\n  fc = dense 2\n}\n';
// y = x·Wᵀ + b with W = [[1, 2], [3, 4]], b = [0.5, -1].
const tinyWeights = encodeSafetensors(
  new Map([
    ['fc.weight', { dtype: 'f32', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }],
    ['fc.bias', { dtype: 'f32', shape: [2], data: Float32Array.from([0.5, -1]) }],
  ]),
);

/** A version-1 .npy file of shape [1, 2] with the given dtype and raw little-endian data. */
function npy(descr: string, data: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (1, 2), }`;
  // The data starts at a multiple of 64 bytes; the header ends with a newline.
  const start = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(start - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(start + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, start);
  return out;
}
const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function noStack(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain('internal error');
}

describe('kiln run --input: paths that cannot be read', () => {
  const dir = scratch({ 'm.kiln': tiny, 'file.npy': npy('<f4', bytes(new Float32Array(2))) });
  const model = join(dir, 'm.kiln');

  it('a directory, with or without a name, and one named like a .npy file', () => {
    const named = join(dir, 'd.npy');
    mkdirSync(named);
    const cases: [string, string][] = [
      [dir, dir],
      [`x=${dir}`, dir],
      [`x=${named}`, named],
    ];
    for (const [flag, path] of cases) {
      const r = kiln(['run', model, '--input', flag]);
      expect(r.code, flag).toBe(1);
      expect(r.stderr).toBe(
        `error: cannot read input \`${path}\`: it is a directory, not a .npy or .json file\n`,
      );
    }
  });

  it('a missing file, and a path through a file', () => {
    const none = join(dir, 'none.npy');
    const missing = kiln(['run', model, '--input', `x=${none}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `error: cannot read input \`${none}\`: no such file or directory\n`,
    );
    const through = join(dir, 'file.npy', 'x.npy');
    const r = kiln(['run', model, '--input', through]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: cannot read input \`${through}\`: a parent of it is not a directory\n`,
    );
  });

  it('a file it may not read (in process: the tests run as root, who may read anything)', async () => {
    const denied = join(dir, 'secret.npy');
    let stderr = '';
    const io: Io = {
      stdout: () => {},
      stderr: (text) => void (stderr += text),
      readFile: (path) => {
        if (path !== denied) return readFileSync(path);
        throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), {
          code: 'EACCES',
        });
      },
      writeFile: () => {},
      exists: (path) => existsSync(path),
      interactive: false,
    };
    const code = await runCli(['run', model, '--input', denied], io);
    expect(code).toBe(1);
    expect(stderr).toBe(`error: cannot read input \`${denied}\`: permission denied\n`);
  });
});

describe('files that are not regular files', () => {
  const dir = scratch({ 'm.kiln': tiny, 'w.safetensors': tinyWeights });
  const model = join(dir, 'm.kiln');
  const fifo = join(dir, 'fifo.npy');
  execFileSync('mkfifo', [fifo]);
  const notRegular = 'it is not a regular file (a FIFO, a device or a socket)';
  // Without the check a FIFO waits for a writer and /dev/zero never ends: the command is killed
  // after a few seconds (code null) and the test fails instead of hanging.
  const quickly = { timeout: 20_000 };

  it('an input: a FIFO, a device, with or without a name', () => {
    for (const path of [fifo, '/dev/zero']) {
      for (const flag of [path, `x=${path}`]) {
        const r = kiln(
          ['run', model, '--weights', join(dir, 'w.safetensors'), '--input', flag],
          quickly,
        );
        expect(r.code, flag).toBe(1);
        expect(r.stderr).toBe(`error: cannot read input \`${path}\`: ${notRegular}\n`);
      }
    }
  }, 120_000);

  it('a model, weights and a checkpoint', () => {
    for (const path of [fifo, '/dev/zero']) {
      const m = kiln(['check', path], quickly);
      expect(m.code, path).toBe(1);
      expect(m.stderr).toBe(`error: cannot read \`${path}\`: ${notRegular}\n`);
      const w = kiln(['run', model, '--weights', path, '--random', '1'], quickly);
      expect(w.code, path).toBe(1);
      expect(w.stderr).toBe(`error: cannot read weights \`${path}\`: ${notRegular}\n`);
      const data = join(root, 'test/train/data/fashion-mnist-2k');
      const out = join(scratch(), 'w');
      const args = ['train', example('mlp-fashion.kiln'), '--data', data, '--resume', path];
      const c = kiln([...args, '-o', out, '--checkpoint', `${out}.ckpt`], quickly);
      expect(c.code, path).toBe(1);
      expect(c.stderr).toBe(`error: cannot read checkpoint \`${path}\`: ${notRegular}\n`);
    }
  }, 120_000);
});

describe('kiln run --input: .npy dtypes', () => {
  const dir = scratch({ 'm.kiln': tiny, 'w.safetensors': tinyWeights });
  const run = (name: string, file: Uint8Array) => {
    writeFileSync(join(dir, name), file);
    const args = ['run', join(dir, 'm.kiln'), '--weights', join(dir, 'w.safetensors')];
    return kiln([...args, '--input', join(dir, name), '--json']);
  };

  it('converts float64, int32, int8 and uint8 to float32', () => {
    // x = [2, -1] gives [0.5, 1]; x = [2, 1] (uint8) gives [4.5, 9].
    const cases: [string, Uint8Array, number[]][] = [
      ['f8.npy', npy('<f8', bytes(Float64Array.from([2, -1]))), [0.5, 1]],
      ['i4.npy', npy('<i4', bytes(Int32Array.from([2, -1]))), [0.5, 1]],
      ['i1.npy', npy('|i1', bytes(Int8Array.from([2, -1]))), [0.5, 1]],
      ['u1.npy', npy('|u1', Uint8Array.from([2, 1])), [4.5, 9]],
    ];
    for (const [name, file, want] of cases) {
      const r = run(name, file);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).outputs.fc.data, name).toEqual(want);
    }
  });

  it('rounds a float64 to the nearest float32, and refuses one past its range', () => {
    // 1 + 2^-30 rounds to 1 in float32: y = [1·1 + 2·1 + 0.5, 3 + 4 - 1] = [3.5, 6].
    const near = run('near.npy', npy('<f8', bytes(Float64Array.from([1 + 2 ** -30, 1]))));
    expect(near.code, near.stderr).toBe(0);
    expect(JSON.parse(near.stdout).outputs.fc.data).toEqual([3.5, 6]);
    for (const value of [1e300, -3.5e38]) {
      const file = join(dir, 'big.npy');
      const r = run('big.npy', npy('<f8', bytes(Float64Array.from([1, value]))));
      expect(r.code, String(value)).toBe(1);
      expect(r.stderr).toBe(
        `error: ${file}: the float64 value ${value} (flat index 1) does not fit float32, ` +
          'whose largest magnitude is about 3.4e38\n',
      );
    }
    // A file that holds Infinity itself is refused by the input contract, which says so.
    const inf = run('inf.npy', npy('<f8', bytes(Float64Array.from([1, Infinity]))));
    expect(inf.code).toBe(1);
    expect(inf.stderr).toContain('holds Infinity (first at flat index 1)');
    noStack(inf.stderr);
  });

  it("converts int64 too (numpy's default integer), rounding to the nearest float32", () => {
    // [2, -1] gives [0.5, 1]; 2^53 + 1 reads as 2^53 (a float32 exactly), with y = x·W + b.
    const small = run('i8.npy', npy('<i8', bytes(BigInt64Array.from([2n, -1n]))));
    expect(small.code, small.stderr).toBe(0);
    expect(JSON.parse(small.stdout).outputs.fc.data).toEqual([0.5, 1]);
    const big = run('big8.npy', npy('<i8', bytes(BigInt64Array.from([2n ** 53n + 1n, 0n]))));
    expect(big.code, big.stderr).toBe(0);
    const [y0, y1] = JSON.parse(big.stdout).outputs.fc.data as number[];
    expect([y0, y1]).toEqual([Math.fround(2 ** 53 + 0.5), Math.fround(3 * 2 ** 53 - 1)]);
  });
});
