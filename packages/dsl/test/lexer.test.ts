import { describe, expect, it } from 'vitest';
import { tokenize, unquote } from '../src/lexer.js';

const kinds = (source: string) =>
  tokenize(source).tokens.map((t) => `${t.tokenType.name}:${t.image.replace('\n', '\\n')}`);

describe('lexer', () => {
  it('splits a statement; comments and blanks vanish, newlines stay', () => {
    expect(kinds('a = conv 64 kernel=[3, 5] relu  # note\n')).toEqual([
      'Identifier:a',
      'Equals:=',
      'Identifier:conv',
      'NumberLiteral:64',
      'Identifier:kernel',
      'Equals:=',
      'LBracket:[',
      'NumberLiteral:3',
      'Comma:,',
      'NumberLiteral:5',
      'RBracket:]',
      'Identifier:relu',
      'Newline:\\n',
    ]);
  });

  it('reserves keywords but not names that start with one', () => {
    expect(kinds('input inputs model freeze_me true')).toEqual([
      'Input:input',
      'Identifier:inputs',
      'Model:model',
      'Identifier:freeze_me',
      'True:true',
    ]);
  });

  it('reads dotted names, quoted names, and numbers with exponents', () => {
    expect(kinds('layer1.0.conv1 `output` 1e-5 0.001 -2')).toEqual([
      'Identifier:layer1.0.conv1',
      'QuotedName:`output`',
      'NumberLiteral:1e-5',
      'NumberLiteral:0.001',
      'Minus:-',
      'NumberLiteral:2',
    ]);
    expect(unquote('`a\\`b\\\\c\\nd`')).toBe('a`b\\c\nd');
  });

  it('records where each token ends, and reports stray characters', () => {
    const { tokens, errors } = tokenize('ab $% c');
    expect(tokens.map((t) => [t.startOffset, t.endOffset])).toEqual([
      [0, 1],
      [6, 6],
    ]);
    expect(errors).toEqual([{ offset: 3, length: 2 }]);
  });
});
