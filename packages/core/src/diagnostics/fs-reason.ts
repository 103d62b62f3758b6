/**
 * A file-system error as a short phrase for a user (the caller names the path): the common
 * errno codes in words, anything else as the error's own message. Pure, so core stays free of
 * Node built-ins; the CLI and the training data loader both word their refusals with it.
 */
export function fsReason(e: unknown): string {
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
