/**
 * Wording of lexical errors: characters no token starts with. The text is quoted with control
 * characters escaped (a raw ESC would recolour the terminal).
 */
import type { Diagnostic } from '@kiln/core';
import { error, visible } from '@kiln/core';
import type { LexError } from './lexer.js';
import type { SourceText } from './source.js';

/** Longest run of unexpected text quoted in a message. */
const QUOTED = 16;

export function unexpectedChars(source: SourceText, e: LexError): Diagnostic {
  const end = e.offset + e.length;
  const text = source.text.slice(e.offset, e.offset + Math.min(e.length, QUOTED));
  return error(
    'parse/unexpected-char',
    `unexpected character${e.length > 1 ? 's' : ''} \`${visible(text.replace(/`/g, "'"))}\``,
    source.span(e.offset, end),
  );
}
