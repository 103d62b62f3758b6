/**
 * `kiln run --input`: a path that cannot be read is named with the reason in words (never Node's
 * "EISDIR: illegal operation on a directory, read"), and .npy files of other dtypes are converted
 * to float32 only where the values survive it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../apps/cli/src/index.js';
import { runCli } from '../../apps/cli/src/index.js';
import { kiln, scratch } from './kiln.js';

const tiny = 'model tiny {\n  input x: f32[N, 2]\n  fc = dense 2\n}\n';
/** A version-1 .npy file of shape [1, 2] with the given dtype and raw little-endian data. */
function npy(descr: string, data: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (1, 2), }`;
  header = header.padEnd(64 - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(64 + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 64);
  return out;
}
const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

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
