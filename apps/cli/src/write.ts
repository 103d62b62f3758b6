/**
 * Writes an output file without ever losing what a user wrote: an existing file is kept unless
 * `--force` is given, and the data goes to a temporary file first, renamed into place only once
 * complete, so a failure never leaves a half-written file.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Io } from './io.js';
import { UserError } from './io.js';

export function writeNew(io: Io, path: string, data: Uint8Array, force: boolean): void {
  if (io.exists(path) && !force) {
    throw new UserError(`error: \`${path}\` exists; pass --force to overwrite it`);
  }
  const temp = `${path}.kiln-tmp-${process.pid}`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new UserError(`error: cannot write \`${path}\`: ${(e as Error).message}`);
  }
}
