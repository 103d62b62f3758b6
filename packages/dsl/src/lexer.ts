/**
 * Tokens of the Kiln language. Newlines are tokens (they end statements): `\n`, `\r\n`, or a
 * lone `\r` as old Mac files have it, so such a file is not one long line. Other whitespace and
 * `#` comments are skipped. Keywords are reserved; a name that collides with one, or that is not
 * a plain identifier, is written in backticks (`` `output` ``, `` `features.0` ``).
 */
import type { IToken, TokenType } from 'chevrotain';
import { Lexer, createToken } from 'chevrotain';

/** Plain names. Dotted segments (`layer1.0.conv1`) let printed node names read back unquoted. */
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/,
  label: 'a name',
});

function keyword(word: string): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    label: `\`${word}\``,
  });
}

export const Block = keyword('block');
export const Model = keyword('model');
export const Input = keyword('input');
export const Output = keyword('output');
export const Repeat = keyword('repeat');
export const Freeze = keyword('freeze');
export const Train = keyword('train');
export const True = keyword('true');
export const False = keyword('false');

export const keywords: readonly string[] = [
  'block',
  'model',
  'input',
  'output',
  'repeat',
  'freeze',
  'train',
  'true',
  'false',
];

/** A backtick-quoted name; `\\`, `` \` `` and `\n` are its escapes. */
export const QuotedName = createToken({
  name: 'QuotedName',
  pattern: /`(?:[^`\\\r\n]|\\[\\`n])*`/,
  label: 'a quoted name',
});

/** Unsigned: a leading minus is an operator, so `-1` and `x-1` lex the same way. */
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  label: 'a number',
});

const punct = (name: string, pattern: string, label = `\`${pattern}\``) =>
  createToken({ name, pattern, label });

export const Newline = createToken({
  name: 'Newline',
  pattern: /\r\n?|\n/,
  label: 'end of line',
});
export const Semicolon = punct('Semicolon', ';');
export const LBrace = punct('LBrace', '{');
export const RBrace = punct('RBrace', '}');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const LBracket = punct('LBracket', '[');
export const RBracket = punct('RBracket', ']');
export const Comma = punct('Comma', ',');
export const Colon = punct('Colon', ':');
export const Equals = punct('Equals', '=');
export const Plus = punct('Plus', '+');
export const Minus = punct('Minus', '-');
export const Star = punct('Star', '*');
export const Slash = punct('Slash', '/');

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t]+/, group: Lexer.SKIPPED });
const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: Lexer.SKIPPED });

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  Block,
  Model,
  Input,
  Output,
  Repeat,
  Freeze,
  Train,
  True,
  False,
  Identifier,
  QuotedName,
  NumberLiteral,
  Semicolon,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
];

// Offsets are all the compiler needs (spans are computed from them); skipping line tracking
// keeps lexing a megabyte of text fast.
const lexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });

export interface LexError {
  readonly offset: number;
  readonly length: number;
}

export function tokenize(source: string): { tokens: IToken[]; errors: LexError[] } {
  const result = lexer.tokenize(source);
  // Offset-only tracking records where a token starts; spans need where it ends too.
  for (const t of result.tokens) t.endOffset = t.startOffset + t.image.length - 1;
  return {
    tokens: result.tokens,
    errors: result.errors.map((e) => ({ offset: e.offset, length: e.length })),
  };
}

/** The text a quoted name stands for. */
export function unquote(image: string): string {
  return image.slice(1, -1).replace(/\\([\\`n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}
