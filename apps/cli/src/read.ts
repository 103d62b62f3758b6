/**
 * Reads every file a command takes (models, inputs, weights, checkpoints). Only regular files:
 * reading a FIFO waits for a writer that may never come, and a device such as /dev/zero never
 * ends. The file is opened without blocking (which a FIFO with no writer would do) and checked
 * through that same descriptor, so what is read is what was checked.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/** Thrown for a path that is not a regular file; `why` (errno.ts) words its code. */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(path: string) {
    super(`${path}: not a regular file`);
    this.name = 'NotRegularFileError';
  }
}

export function readRegularFile(path: string): Uint8Array {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    // Callers already word EISDIR their own way; keep Node's error for it.
    if (st.isDirectory()) {
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), {
        code: 'EISDIR',
      });
    }
    if (!st.isFile()) throw new NotRegularFileError(path);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
