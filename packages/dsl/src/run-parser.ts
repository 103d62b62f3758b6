/** Runs the shared parser instance over a token stream and collects its syntax errors. */
import type { CstNode, IToken } from 'chevrotain';
import { KilnParser, TooManyErrors } from './parser.js';

let instance: KilnParser | undefined;

export interface SyntaxError {
  readonly message: string;
  readonly token: IToken;
  readonly previous?: IToken;
}

/**
 * Parses a token stream; the parser is built once (its grammar analysis is costly). `cst` is
 * absent when parsing stopped early; `errors` then holds the errors found up to there.
 */
export function parseTokens(tokens: IToken[]): { cst?: CstNode; errors: SyntaxError[] } {
  instance ??= new KilnParser();
  instance.startParse(tokens);
  let cst: CstNode | undefined;
  try {
    cst = instance.program();
  } catch (e) {
    // A safety net: recovery recurses, and no input may crash the compiler.
    if (!(e instanceof TooManyErrors) && !(e instanceof RangeError)) throw e;
  }
  const errors = instance.errors.map((e) => {
    const previous = (e as { previousToken?: IToken }).previousToken;
    return {
      message: e.message,
      token: e.token,
      ...(previous ? { previous } : {}),
    };
  });
  return { ...(cst ? { cst } : {}), errors };
}
