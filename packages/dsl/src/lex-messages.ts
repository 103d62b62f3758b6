/**
 * Wording of lexical errors: characters no token starts with. The text is quoted with control
 * characters escaped (a raw ESC would recolour the terminal), and letters outside ASCII get a
 * hint, since a plain name is `[A-Za-z_][A-Za-z0-9_]*` and anything else needs backticks.
 */
import type { Diagnostic } from '@kiln/core';
import { error, visible } from '@kiln/core';
import type { LexError } from './lexer.js';
import type { SourceText } from './source.js';

/** Longest run of unexpected text quoted in a message. */
const QUOTED = 16;

const wordChar = /[\p{L}\p{M}\p{N}_]/u;

/** The whole word around `[start, end)`, so the hint can show it in backticks. */
function wordAround(text: string, start: number, end: number): string {
  let from = start;
  let to = end;
  while (from > 0 && wordChar.test(text[from - 1]!)) from--;
  while (to < text.length && wordChar.test(text[to]!)) to++;
  return text.slice(from, to);
}

function foreignNameHint(text: string, start: number, end: number): string | undefined {
  const bad = text.slice(start, end);
  if (![...bad].some((c) => c.codePointAt(0)! > 0x7f && wordChar.test(c))) return undefined;
  const word = wordAround(text, start, end);
  return (
    `\`${word}\` is not a plain name (ASCII letters, digits and \`_\`); ` +
    'write it in backticks to use it as a name'
  );
}

export function unexpectedChars(source: SourceText, e: LexError): Diagnostic {
  const end = e.offset + e.length;
  const text = source.text.slice(e.offset, e.offset + Math.min(e.length, QUOTED));
  const hint = foreignNameHint(source.text, e.offset, end);
  return error(
    'parse/unexpected-char',
    `unexpected character${e.length > 1 ? 's' : ''} \`${visible(text.replace(/`/g, "'"))}\``,
    source.span(e.offset, end),
    hint ? { hint } : {},
  );
}
