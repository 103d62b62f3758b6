/** Rendering diagnostics for a terminal: control characters shown as escapes, carets aligned. */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/index.js';
import { error, renderDiagnostic, spanAt, visible } from '../src/index.js';

describe('visible', () => {
  it('escapes control characters and leaves other text alone', () => {
    expect(visible('a\x1b[31mred')).toBe('a\\x1b[31mred');
    expect(visible('bell\x07, nul\x00, del\x7f, csi\x9b')).toBe(
      'bell\\x07, nul\\x00, del\\x7f, csi\\x9b',
    );
    expect(visible('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(visible('left\u202eright')).toBe('left\\u202eright');
    expect(visible('größe, 卷积, `name`')).toBe('größe, 卷积, `name`');
  });
});

describe('renderDiagnostic', () => {
  it('escapes control characters in the message, source line, hint and notes', () => {
    const source = 'model m {\n  dense \x1b[31mred\n}\n';
    // `red` is at column 14 (after `  dense `, ESC and `[31m`); shown, ESC takes 4 columns.
    const at = source.indexOf('red');
    const d: Diagnostic = error('t/x', 'unknown `\x1b[31m`', spanAt('m.kiln', source, at, at + 3), {
      hint: 'not `a\nb`',
      notes: [{ message: 'see \x07' }],
    });
    expect(renderDiagnostic(d, { 'm.kiln': source })).toBe(
      [
        'm.kiln:2:14: error: unknown `\\x1b[31m`',
        ' 2 |   dense \\x1b[31mred',
        '   |                 ^^^',
        '  hint: not `a\\nb`',
        '  note: see \\x07',
      ].join('\n'),
    );
  });

  it('underlines an escaped character by its escape', () => {
    const source = 'a\x1bb\n';
    const d = error('t/x', 'bad', spanAt('m.kiln', source, 1, 2));
    expect(renderDiagnostic(d, { 'm.kiln': source })).toBe(
      ['m.kiln:1:2: error: bad', ' 1 | a\\x1bb', '   |  ^^^^'].join('\n'),
    );
  });

  it('counts a lone carriage return as a line break, and CRLF once', () => {
    const source = 'one\rtwo\r\nthree\nfour x\r';
    const at = source.indexOf('x');
    const span = spanAt('m.kiln', source, at, at + 1);
    expect([span.line, span.column]).toEqual([4, 6]);
    expect(renderDiagnostic(error('t/x', 'here', span), { 'm.kiln': source })).toBe(
      ['m.kiln:4:6: error: here', ' 4 | four x', '   |      ^'].join('\n'),
    );
    expect(spanAt('m.kiln', source, source.indexOf('three'), 0).line).toBe(3);
  });
});
