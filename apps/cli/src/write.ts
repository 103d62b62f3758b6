/**
 * Writes an output file without ever losing what a user wrote: an existing file is kept unless
 * `--force` is given, and the data goes to a temporary file first, renamed into place only once
 * complete, so a failure never leaves a half-written file.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { why } from './errno.js';
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
    // The temporary name is ours, not the user's: the message names it only if it stays behind.
    const left = removeTemp(temp);
    throw new UserError(`error: cannot write \`${path}\`: ${why(e)}${left}`);
  }
}

/**
 * Removes the temporary file, returning '' when it is gone and a sentence naming it otherwise.
 * When its folder is missing or is not a folder, the file was never created and removing it
 * fails the same way (ENOENT, ENOTDIR): there is nothing to remove.
 */
function removeTemp(temp: string): string {
  try {
    rmSync(temp, { force: true });
    return '';
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return '';
    return `\n(the temporary file \`${temp}\` could not be removed: ${why(e)})`;
  }
}
