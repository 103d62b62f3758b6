/**
 * `kiln rewrite -o` when the output cannot be written: a user error (exit 1) naming the path the
 * user gave and why in words, never the temporary file's name or a raw errno, and nothing left
 * behind.
 */
import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { example, kiln, scratch } from './kiln.js';

const rewriteTo = (out: string, ...extra: string[]) =>
  kiln(['rewrite', example('lenet5.kiln'), '--pass', 'fc-to-conv', '-o', out, ...extra]);

describe('kiln rewrite -o, unwritable outputs', () => {
  it('a parent that is a regular file', () => {
    const dir = scratch({ regfile: '' });
    const out = join(dir, 'regfile', 'out.kiln');
    const r = rewriteTo(out);
    expect(r.stderr).toContain(`error: cannot write \`${out}\`: a parent of it is not a directory`);
    expect(r.stderr).not.toContain('kiln-tmp');
    expect(r.code).toBe(1);
    expect(readdirSync(dir)).toEqual(['regfile']);
  });

  it('a parent that does not exist', () => {
    const dir = scratch();
    const out = join(dir, 'nodir', 'out.kiln');
    const r = rewriteTo(out);
    expect(r.stderr).toContain(`error: cannot write \`${out}\`: no such file or directory`);
    expect(r.stderr).not.toContain('kiln-tmp');
    expect(r.stderr).not.toContain('ENOENT');
    expect(r.code).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a directory, with --force', () => {
    const dir = scratch();
    const out = join(dir, 'adir');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const r = rewriteTo(out, '--force');
    expect(r.stderr).toContain(`error: cannot write \`${out}\`: it is a directory`);
    expect(r.stderr).not.toContain('kiln-tmp');
    expect(r.stderr).not.toContain('EISDIR');
    expect(r.code).toBe(1);
    expect(readdirSync(dir)).toEqual(['adir']);
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('still writes a good path, and refuses to replace a file without --force', () => {
    const dir = scratch({ 'taken.kiln': 'mine' });
    const out = join(dir, 'out.kiln');
    expect(rewriteTo(out).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('model ');
    const r = rewriteTo(join(dir, 'taken.kiln'));
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, 'taken.kiln'), 'utf8')).toBe('mine');
    expect(readdirSync(dir).sort()).toEqual(['out.kiln', 'taken.kiln']);
  });
});

describe('outputs that are not regular files', () => {
  // Renaming over them would replace them: a symlink by a file, a FIFO or device by a file.
  it('refuses a symbolic link and a FIFO as -o, even with --force, and leaves them alone', () => {
    const dir = scratch({ 'target.kiln': 'mine\n' });
    const link = join(dir, 'link.kiln');
    symlinkSync(join(dir, 'target.kiln'), link);
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    for (const [out, kind] of [
      [link, 'a symbolic link'],
      [fifo, 'a device, socket or pipe'],
    ] as const) {
      for (const r of [
        rewriteTo(out, '--force'),
        kiln(['export', example('lenet5.kiln'), '-o', out, '--force']),
      ]) {
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`cannot write \`${out}\`: it is ${kind}`);
      }
    }
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'target.kiln'), 'utf8')).toBe('mine\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['link.kiln', 'pipe', 'target.kiln']);
  });
});
