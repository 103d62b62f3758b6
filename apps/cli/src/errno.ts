/**
 * Words a file-system error for a user: the common errno codes as a short phrase (the path is
 * named by the caller), anything else as Node's own message.
 */
export function why(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'ENOTDIR') return 'a parent of it is not a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ENOTREG') return 'it is not a regular file (a FIFO, a device or a socket)';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'ENAMETOOLONG') return 'the name is too long';
  return (e as Error).message;
}
