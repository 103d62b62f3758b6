/** Rendered diagnostics for representative mistakes: what a person sees in the terminal. */
import { renderDiagnostics } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';

function errors(body: string, blocks = ''): string {
  const source = `${blocks}model m {\n  input x: f32[N, 3, 32, 32]\n${body}\n}\n`;
  const result = compile(source, 'm.kiln');
  expect(result.graph).toBeUndefined();
  return renderDiagnostics(result.diagnostics, { 'm.kiln': source });
}

describe('diagnostics', () => {
  it('suggests the op meant by an unknown one', () => {
    expect(errors('  conv 8 kernel=3\n  maxpol 2')).toMatchInlineSnapshot(`
      "m.kiln:4:3: error: unknown op or block \`maxpol\`
       4 |   maxpol 2
         |   ^^^^^^
        hint: did you mean \`maxpool\`?"
    `);
  });

  it('suggests the attribute meant by a misspelt one, and only reports that', () => {
    expect(errors('  conv 8 kernal=3')).toMatchInlineSnapshot(`
      "m.kiln:3:10: error: conv has no attribute \`kernal\`
       3 |   conv 8 kernal=3
         |          ^^^^^^^^
        hint: did you mean \`kernel\`?"
    `);
  });

  it('names the expected type of an attribute', () => {
    expect(errors('  conv 8 kernel=3 bias=1')).toMatchInlineSnapshot(`
      "m.kiln:3:19: error: conv attribute \`bias\` expects true or false, got 1
       3 |   conv 8 kernel=3 bias=1
         |                   ^^^^^^
        hint: add a learned bias per output channel"
    `);
  });

  it('hints at flatten when dense is fed a feature map', () => {
    expect(errors('  conv 8 kernel=3\n  dense 10')).toMatchInlineSnapshot(`
      "m.kiln:4:3: error: dense needs a 2-D input [N, K]; got [N, 8, 30, 30]
       4 |   dense 10
         |   ^^^^^^^^
        hint: add \`flatten\` before it"
    `);
  });

  it('reports an undefined name with a did-you-mean', () => {
    expect(errors('  stem = conv 8 kernel=3\n  relu(stm)')).toMatchInlineSnapshot(`
      "m.kiln:4:8: error: \`stm\` is not defined
       4 |   relu(stm)
         |        ^^^
        hint: did you mean \`stem\`?"
    `);
  });

  it('says when a name is used before its definition', () => {
    expect(errors('  add(x, later)\n  later = relu(x)')).toMatchInlineSnapshot(`
      "m.kiln:3:10: error: \`later\` is not defined
       3 |   add(x, later)
         |          ^^^^^
        hint: \`later\` is defined at line 4; a statement reads only names defined before it
        note: defined here (m.kiln:4:3)"
    `);
  });

  it('reports a duplicate name with the first definition', () => {
    expect(errors('  a = conv 8 kernel=3\n  a = relu')).toMatchInlineSnapshot(`
      "m.kiln:4:3: error: \`a\` is already defined
       4 |   a = relu
         |   ^
        hint: give this statement another name
        note: first defined here (m.kiln:3:3)"
    `);
  });

  it('reports wrong block arguments at the call, with the definition', () => {
    const blocks = 'block unit(ch, stride=1) {\n  conv ch kernel=3 stride=stride\n}\n';
    expect(errors('  unit 8 strde=2\n  unit\n  unit 8 stride=0.5', blocks)).toMatchInlineSnapshot(`
      "m.kiln:6:10: error: block \`unit\` has no parameter \`strde\`
       6 |   unit 8 strde=2
         |          ^^^^^
        hint: did you mean \`stride\`?
        note: block \`unit\` is defined here (m.kiln:1:7)

      m.kiln:7:3: error: block \`unit\` needs the argument \`ch\`
       7 |   unit
         |   ^^^^
        hint: pass it positionally or as \`ch=...\`
        note: block \`unit\` is defined here (m.kiln:1:7)

      m.kiln:8:10: error: argument \`stride\` of block \`unit\` should be an integer like its default 1, got 0.5
       8 |   unit 8 stride=0.5
         |          ^^^^^^^^^^
        note: block \`unit\` is defined here (m.kiln:1:7)"
    `);
  });

  it('points at the call site of an error inside a block', () => {
    const blocks = 'block unit(ch) {\n  conv ch kernel=3 groups=3\n}\n';
    expect(errors('  unit 8', blocks)).toMatchInlineSnapshot(`
      "m.kiln:2:3: error: conv groups=3 must divide both input channels (3) and output channels (8)
       2 |   conv ch kernel=3 groups=3
         |   ^^^^^^^^^^^^^^^^^^^^^^^^^
        note: in \`unit1\`, an instance of block \`unit\` called here (m.kiln:6:3)"
    `);
  });

  it('reports several syntax errors at once', () => {
    expect(errors('  conv 8 kernel=3 = 2\n  dense [1, 2\n  relu )\n  input y f32[N]'))
      .toMatchInlineSnapshot(`
      "m.kiln:3:19: error: expected end of line, \`;\` or \`}\` after the statement, found \`=\`
       3 |   conv 8 kernel=3 = 2
         |                   ^

      m.kiln:4:14: error: expected \`]\`, found end of line
       4 |   dense [1, 2
         |              ^

      m.kiln:5:8: error: expected end of line, \`;\` or \`}\` after the statement, found \`)\`
       5 |   relu )
         |        ^

      m.kiln:6:11: error: expected \`:\`, found \`f32\`
       6 |   input y f32[N]
         |           ^^^"
    `);
  });

  it('refuses recursive blocks', () => {
    const blocks = 'block a() {\n  b\n}\nblock b() {\n  a\n}\n';
    expect(errors('  a', blocks)).toMatchInlineSnapshot(`
      "m.kiln:5:3: error: block \`a\` calls itself (a -> b -> a)
       5 |   a
         |   ^
        hint: a block cannot expand into itself; write the repetition with \`repeat\`
        note: in \`a1.b1\`, an instance of block \`b\` called here (m.kiln:2:3)
        note: in \`a1\`, an instance of block \`a\` called here (m.kiln:9:3)"
    `);
  });

  it('catches overflowing dimensions', () => {
    const source = 'model m {\n  input x: f32[N, 99999999999, 2]\n  relu\n}\n';
    const result = compile(source, 'm.kiln');
    expect(renderDiagnostics(result.diagnostics, { 'm.kiln': source })).toMatchInlineSnapshot(`
      "m.kiln:2:3: error: \`x\` has a dimension of 99999999999, above the limit of 2147483647
       2 |   input x: f32[N, 99999999999, 2]
         |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"
    `);
  });

  it('explains a file without a model', () => {
    const result = compile('', 'm.kiln');
    expect(renderDiagnostics(result.diagnostics, { 'm.kiln': '' })).toMatchInlineSnapshot(`
      "m.kiln:1:1: error: the file defines no model
       1 | 
         | ^
        hint: write \`model name { input x: f32[N, ...] ... }\`"
    `);
  });

  it('says that softmax is not a flag', () => {
    expect(errors('  flatten\n  dense 10 softmax')).toMatchInlineSnapshot(`
      "m.kiln:4:12: error: dense takes at most 1 positional argument
       4 |   dense 10 softmax
         |            ^^^^^^^
        hint: \`softmax\` is not a flag; write it as its own statement"
    `);
  });
});
