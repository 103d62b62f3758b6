/**
 * Writes an output file without ever losing what a user wrote: an existing file is kept unless
 * `--force` is given, and the data goes to a temporary file first, renamed into place only once
 * complete, so a failure never leaves a half-written file.
 */
import { lstatSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { why } from './errno.js';
import type { Io } from './io.js';
import { UserError } from './io.js';

/**
 * An output path may name nothing yet or a regular file. Renaming over a device, a FIFO or a
 * symlink would replace it (run as root, `-o /dev/full --force` would swap the device for a
 * file), and a directory cannot take a file: all are refused before any work is done.
 */
export function ensureRegularTarget(path: string): void {
  let kind: string | undefined;
  try {
    const st = lstatSync(path);
    if (st.isFile()) return;
    kind = st.isSymbolicLink()
      ? 'a symbolic link'
      : st.isDirectory()
        ? 'a directory'
        : 'a device, socket or pipe';
  } catch {
    return; // nothing there yet (or an unreadable parent, which the write itself will report)
  }
  throw new UserError(
    `error: cannot write \`${path}\`: it is ${kind}; Kiln writes outputs only as regular files`,
  );
}

/**
 * For commands that work a long time before they write (training): everything about the output
 * path that can be known now is checked now, so an hour of work is not lost to a missing folder.
 */
export function ensureWritableLater(path: string): void {
  ensureRegularTarget(path);
  const parent = dirname(path);
  let ok = false;
  try {
    ok = statSync(parent).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new UserError(`error: cannot write \`${path}\`: its folder \`${parent}\` does not exist`);
  }
}

export function writeNew(io: Io, path: string, data: Uint8Array, force: boolean): void {
  ensureRegularTarget(path);
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
