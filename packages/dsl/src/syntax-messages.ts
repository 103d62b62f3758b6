/**
 * Wording of syntax errors. Chevrotain's defaults name token types (`--> RBrace <--`); these name
 * what a person would type, and what a rule expected in its own terms ("a statement").
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { EOF, tokenLabel } from 'chevrotain';

/** What a token is, for a message: `` `conv` ``, "end of line", "end of file". */
export function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return 'end of file';
  if (token.tokenType.name === 'Newline') return 'end of line';
  const image = token.image.length > 24 ? `${token.image.slice(0, 24)}...` : token.image;
  return `\`${image.replace(/`/g, "'")}\``;
}

/** Names for the rules whose first tokens would make a long list. */
const ruleWords: Record<string, string> = {
  program: '`model` or `block`',
  statement: 'a statement',
  layer: 'an op or block name',
  terminator: 'end of line, `;` or `}` after the statement',
  atom: 'a value',
  expr: 'a value',
  term: 'a value',
  unary: 'a value',
  arg: 'an argument',
  name: 'a name',
};

function firstTokens(paths: TokenType[][]): string {
  const labels = [...new Set(paths.map((p) => (p[0] ? tokenLabel(p[0]) : 'end of input')))];
  if (labels.length <= 1) return labels[0] ?? 'something else';
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

export const syntaxMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${tokenLabel(expected)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const wanted = ruleWords[ruleName] ?? firstTokens(expectedPathsPerAlt.flat());
    return `expected ${wanted}, found ${describeToken(actual[0]!)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const wanted = ruleWords[ruleName] ?? firstTokens(expectedIterationPaths);
    return `expected ${wanted}, found ${describeToken(actual[0]!)}`;
  },
};
