/**
 * Source text that would garble a terminal or a line count: control characters, names holding
 * a newline, carriage-return line endings, and names outside ASCII.
 */
import { renderDiagnostics } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { tokenize } from '../src/lexer.js';
import { example, expectValidDiagnostics, structure } from './helpers.js';

function rendered(source: string): string {
  const result = compile(source, 'm.kiln');
  expect(result.graph).toBeUndefined();
  expectValidDiagnostics(result.diagnostics, source);
  return renderDiagnostics(result.diagnostics, { 'm.kiln': source });
}

const model = (...lines: string[]) =>
  ['model m {', '  input x: f32[N, 4]', ...lines.map((l) => `  ${l}`), '}', ''].join('\n');

describe('control characters in diagnostics', () => {
  it('shows an ESC in the source as \\x1b, in the message and the line, caret aligned', () => {
    const text = rendered(model('dense \x1b[31mred'));
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f]/); // eslint-disable-line no-control-regex
    expect(text.split('\n').slice(0, 3)).toEqual([
      'm.kiln:3:9: error: unexpected character `\\x1b`',
      ' 3 |   dense \\x1b[31mred',
      '   |         ^^^^',
    ]);
  });

  it('shows a bell inside a quoted name escaped', () => {
    const text = rendered(model('`a\x07` = dense 3', '`a\x07` = relu'));
    expect(text).not.toContain('\x07');
    expect(text).toContain('m.kiln:4:3: error: `a\\x07` is already defined');
    expect(text).toContain(' 4 |   `a\\x07` = relu\n   |   ^^^^^^^'); // 4 characters, 7 columns shown
  });

  it('shows a name holding a newline (`a\\nb`) on one line', () => {
    const text = rendered(model('`a\\nb` = dense 3', '`a\\nb` = relu'));
    expect(text.split('\n')[0]).toBe('m.kiln:4:3: error: `a\\nb` is already defined');
  });
});

describe('carriage-return line endings', () => {
  const lf = example('lenet5');

  it('reads a file with lone \\r line endings as the same model as with \\n', () => {
    const cr = compile(lf.replace(/\n/g, '\r'), 'm.kiln');
    const crlf = compile(lf.replace(/\n/g, '\r\n'), 'm.kiln');
    const plain = compile(lf, 'm.kiln');
    expect(cr.diagnostics).toEqual([]);
    expect(crlf.diagnostics).toEqual([]);
    expect(structure(cr.graph!)).toEqual(structure(plain.graph!));
    expect(structure(crlf.graph!)).toEqual(structure(plain.graph!));
  });

  it('ends a comment and a statement at a lone \\r, and counts lines by it', () => {
    expect(tokenize('a # note\rb').tokens.map((t) => t.tokenType.name)).toEqual([
      'Identifier',
      'Newline',
      'Identifier',
    ]);
    const source = model('dense 3', 'maxpol 2').replace(/\n/g, '\r');
    expect(rendered(source).split('\n').slice(0, 4)).toEqual([
      'm.kiln:4:3: error: unknown op or block `maxpol`',
      ' 4 |   maxpol 2',
      '   |   ^^^^^^',
      '  hint: did you mean `maxpool`?',
    ]);
  });
});

describe('hints for names from elsewhere', () => {
  it('says a name outside ASCII letters needs backticks, and accepts it in them', () => {
    expect(rendered(model('größe = dense 3'))).toBe(
      [
        'm.kiln:3:5: error: unexpected characters `öß`',
        ' 3 |   größe = dense 3',
        '   |     ^^',
        '  hint: `größe` is not a plain name (ASCII letters, digits and `_`); write it in ' +
          'backticks to use it as a name',
      ].join('\n'),
    );
    const quoted = compile(model('`größe` = dense 3'), 'm.kiln');
    expect(quoted.diagnostics).toEqual([]);
    expect(quoted.graph!.outputs).toEqual(['größe']);
  });

  it('maps op names from other frameworks to Kiln ops', () => {
    const cases: [string, string][] = [
      ['convolution 8', 'conv'],
      ['Conv2d 8', 'conv'],
      ['fully_connected 3', 'dense'],
      ['Linear 3', 'dense'],
      ['fc 3', 'dense'],
      ['BatchNormalization', 'batchnorm'],
      ['GlobalAveragePooling2D', 'global_avgpool'],
      ['MaxPooling2D 2', 'maxpool'],
      ['concatenate(x, x)', 'concat'],
    ];
    for (const [line, op] of cases) {
      const hints = compile(model(line), 'm.kiln').diagnostics.map((d) => d.hint);
      expect(hints, line).toEqual([`did you mean \`${op}\`?`]);
    }
  });
});
