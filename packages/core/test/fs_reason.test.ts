import { describe, expect, it } from 'vitest';
import { fsReason } from '../src/diagnostics/fs-reason.js';

/** An error as Node's fs functions throw it: a message and an errno code. */
const fsError = (code: string) => Object.assign(new Error(`${code}: raw message`), { code });

describe('fsReason', () => {
  // Codes the tests cannot provoke as root (EACCES) are worded the same as those they can.
  it('words the common errno codes and passes other errors through', () => {
    expect(fsReason(fsError('ENOENT'))).toBe('no such file or directory');
    expect(fsReason(fsError('ENOTDIR'))).toBe('a parent of it is not a directory');
    expect(fsReason(fsError('EACCES'))).toBe('permission denied');
    expect(fsReason(fsError('EPERM'))).toBe('permission denied');
    expect(fsReason(fsError('EISDIR'))).toBe('it is a directory');
    expect(fsReason(fsError('ENOTREG'))).toBe(
      'it is not a regular file (a FIFO, a device or a socket)',
    );
    expect(fsReason(fsError('ELOOP'))).toBe('too many levels of symbolic links');
    expect(fsReason(fsError('ENAMETOOLONG'))).toBe('the name is too long');
    expect(fsReason(fsError('EIO'))).toBe('EIO: raw message');
  });
});
