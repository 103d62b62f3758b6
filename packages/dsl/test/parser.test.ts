import { describe, expect, it } from 'vitest';
import type { CallStmt, Stmt } from '../src/index.js';
import { parse } from '../src/index.js';

function body(text: string): Stmt[] {
  const { program, diagnostics } = parse(`model m {\n${text}\n}\n`);
  expect(diagnostics).toEqual([]);
  return [...program.models[0]!.body];
}

describe('parser', () => {
  it('reads a call with a name, freeze, inputs, positional and named args', () => {
    const [stmt] = body('y = freeze add(a, `b c`) 3 axis=-1 relu') as [CallStmt];
    expect(stmt.kind).toBe('call');
    expect(stmt.name?.text).toBe('y');
    expect(stmt.frozen).toBe(true);
    expect(stmt.callee.text).toBe('add');
    expect(stmt.inputs?.map((i) => [i.text, i.quoted])).toEqual([
      ['a', false],
      ['b c', true],
    ]);
    expect(stmt.args.map((a) => [a.key?.text, a.value.kind])).toEqual([
      [undefined, 'number'],
      ['axis', 'negate'],
      [undefined, 'name'],
    ]);
    // The call's span starts at the op, so carets point at the layer.
    expect([stmt.span.line, stmt.span.column]).toEqual([2, 12]);
  });

  it('keeps operator chains flat and precedence right', () => {
    const [stmt] = body('conv ch*4/2+1') as [CallStmt];
    const value = stmt.args[0]!.value;
    expect(value.kind).toBe('chain');
    if (value.kind !== 'chain') return;
    expect(value.rest.map((r) => r.op)).toEqual(['+']);
    expect(value.first.kind).toBe('chain');
  });

  it('reads every statement form; `;` separates statements on one line', () => {
    const stmts = body(
      [
        'input x: f32[N, 3, 8, 8]',
        'conv 8 kernel=3; relu',
        'r = repeat 2 { relu }',
        'freeze { dense 4 }',
        'output r',
        'train {\n  lr 0.1\n  optimizer sgd momentum=0.9\n}',
      ].join('\n'),
    );
    expect(stmts.map((s) => s.kind)).toEqual([
      'input',
      'call',
      'call',
      'repeat',
      'freeze',
      'output',
      'train',
    ]);
  });

  it('reads blocks with defaults', () => {
    const { program } = parse('block b(ch, stride=1) {\n  conv ch stride=stride\n}\n');
    const block = program.blocks[0]!;
    expect(block.params.map((p) => [p.name.text, p.default?.kind])).toEqual([
      ['ch', undefined],
      ['stride', 'number'],
    ]);
  });

  it('recovers after a broken statement and reports each broken line', () => {
    const { program, diagnostics } = parse(
      'model m {\n  conv 3 )\n  relu\n  dense ]\n  flatten\n}\n',
    );
    expect(diagnostics.map((d) => [d.code, d.span?.line])).toEqual([
      ['parse/unexpected-token', 2],
      ['parse/unexpected-token', 4],
    ]);
    expect(program.models[0]!.body.map((s) => (s as CallStmt).callee.text)).toContain('flatten');
  });

  it('suggests backticks for a keyword used as a name', () => {
    const { diagnostics } = parse('model m {\n  relu(output)\n}\n');
    expect(diagnostics[0]!.hint).toContain('backticks');
  });
});
