/**
 * Source text to AST: lexing, a nesting-depth guard, parsing with recovery, and the CST to AST
 * step. Syntax errors become located diagnostics, at most one per line: after the first error on
 * a line, recovery tends to report the same mistake again in other words.
 */
import type { Diagnostic } from '@kiln/core';
import { error } from '@kiln/core';
import type { IToken } from 'chevrotain';
import type { Program } from './ast.js';
import { AstBuilder } from './cst-to-ast.js';
import { unexpectedChars } from './lex-messages.js';
import { keywords, tokenize } from './lexer.js';
import { parseTokens } from './run-parser.js';
import { SourceText } from './source.js';

/** Deeper nesting than this is refused before parsing: the parser and compiler recurse on it. */
export const MAX_NESTING = 64;

/** More syntax errors than this are summarised: the rest are most likely consequences. */
export const MAX_SYNTAX_ERRORS = 100;

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: Diagnostic[];
}

const opening = new Set(['LParen', 'LBracket', 'LBrace']);
const closing = new Set(['RParen', 'RBracket', 'RBrace']);

function tooDeep(tokens: readonly IToken[], source: SourceText): Diagnostic | undefined {
  let depth = 0;
  for (const t of tokens) {
    if (opening.has(t.tokenType.name)) depth++;
    else if (closing.has(t.tokenType.name)) depth = Math.max(0, depth - 1);
    if (depth > MAX_NESTING) {
      return error(
        'parse/too-deep',
        `brackets nest deeper than ${MAX_NESTING} levels`,
        source.span(t.startOffset, (t.endOffset ?? t.startOffset) + 1),
        { hint: 'split the expression or the repeated group into blocks' },
      );
    }
  }
  return undefined;
}

function keywordHint(token: IToken, message: string, previous?: IToken): string | undefined {
  const wantsName =
    message.includes('a name') || ['LParen', 'Comma'].includes(previous?.tokenType.name ?? '');
  if (!keywords.includes(token.image) || !wantsName) return undefined;
  return `\`${token.image}\` is a keyword; write it in backticks to use it as a name`;
}

export function parseSource(source: SourceText): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const { tokens, errors: lexErrors } = tokenize(source.text);
  for (const e of lexErrors) diagnostics.push(unexpectedChars(source, e));
  const deep = tooDeep(tokens, source);
  if (deep) {
    return { program: { blocks: [], models: [] }, diagnostics: capErrors([...diagnostics, deep]) };
  }
  const { cst, errors } = parseTokens(tokens);
  const lines = new Set<number>();
  for (const e of errors) {
    const t = e.token;
    const inserted = t.isInsertedInRecovery || !Number.isFinite(t.startOffset);
    // An error at end of input or at a virtual token is placed just after the previous token.
    const at = inserted
      ? source.span((e.previous?.endOffset ?? -1) + 1, (e.previous?.endOffset ?? -1) + 1)
      : source.span(t.startOffset, (t.endOffset ?? t.startOffset) + 1);
    if (lines.has(at.line)) continue;
    lines.add(at.line);
    const hint = keywordHint(t, e.message, e.previous);
    diagnostics.push(error('parse/unexpected-token', e.message, at, hint ? { hint } : {}));
  }
  diagnostics.sort((a, b) => a.span!.start - b.span!.start);
  if (!cst) {
    diagnostics.push(
      error(
        'parse/gave-up',
        'too many syntax errors; parsing stopped here',
        diagnostics[diagnostics.length - 1]?.span ?? source.span(0, 0),
      ),
    );
  }
  const program = cst ? new AstBuilder(source).program(cst) : { blocks: [], models: [] };
  return { program, diagnostics: capErrors(diagnostics) };
}

/** Keeps the first `MAX_SYNTAX_ERRORS`, with a last one saying how many more there were. */
export function capErrors(diagnostics: Diagnostic[], max = MAX_SYNTAX_ERRORS): Diagnostic[] {
  if (diagnostics.length <= max) return diagnostics;
  const kept = diagnostics.slice(0, max);
  const last = kept[kept.length - 1]!;
  kept.push(
    error('dsl/too-many-errors', `${diagnostics.length - max} more errors not shown`, last.span),
  );
  return kept;
}
