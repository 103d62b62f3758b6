/**
 * Reads a model file as strict UTF-8. A file with invalid bytes is refused with the line and
 * column of the first one, rather than decoded into replacement characters that would then
 * surface as baffling parse errors.
 */
import type { Diagnostic } from '@kiln/core';
import { error, spanAt } from '@kiln/core';
import { why } from './errno.js';
import type { Io } from './io.js';
import { UserError } from './io.js';

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong three-byte forms, UTF-16 surrogates, and code points above U+10FFFF.
    const c1 = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 > 0x9f)) return i;
    if ((b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 > 0x8f)) return i;
    i += need + 1;
  }
  return -1;
}

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

export function readSource(
  io: Io,
  path: string,
): SourceFile | { diagnostic: Diagnostic; text: string } {
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(path);
  } catch (e) {
    throw new UserError(`error: cannot read \`${path}\`: ${why(e)}`);
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
    const shown = new TextDecoder('utf-8').decode(bytes);
    const span = spanAt(path, shown, prefix.length, prefix.length + 1);
    const byte = bytes[bad]!.toString(16).padStart(2, '0');
    return {
      text: shown,
      diagnostic: error(
        'source/not-utf8',
        `\`${path}\` is not valid UTF-8: byte 0x${byte} at offset ${bad}`,
        span,
        {
          hint: 'save the file as UTF-8',
        },
      ),
    };
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  return { path, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}
