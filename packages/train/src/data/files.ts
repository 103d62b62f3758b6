/**
 * File-system access for the data loader, each failure a DataError naming the path: Node's own
 * errors (EACCES, ELOOP) would otherwise reach a caller as an unlocated crash, and a FIFO or a
 * device among the data files would block the read or never end it.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fsReason as reason } from '@kiln/core';
import { DataError } from '../errors.js';

/**
 * Refuses a data folder that is missing, is a file, or cannot be listed. Callers that do more
 * expensive work before loading (the CLI loads and sizes the model) call it first.
 */
export function checkDataDir(dir: string): void {
  listDataDir(dir);
}

/** The names in the data folder, or a DataError saying why there are none to read. */
export function listDataDir(dir: string): string[] {
  try {
    const st = statSync(dir);
    if (st.isFile()) {
      throw new DataError(dir, 'is a file, not a directory (give the folder holding the data)');
    }
    if (!st.isDirectory()) throw new DataError(dir, 'is not a directory');
    return readdirSync(dir);
  } catch (e) {
    if (e instanceof DataError) throw e;
    const code = (e as { code?: string }).code;
    throw new DataError(dir, code === 'ENOENT' ? 'no such directory' : reason(e));
  }
}

/** The bytes of a regular data file. */
export function readDataFile(file: string): Uint8Array {
  try {
    if (!statSync(file).isFile()) throw new DataError(file, 'is not a regular file');
    return readFileSync(file);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(file, `cannot read: ${reason(e)}`);
  }
}
