/**
 * Evaluates argument expressions. Values are numbers, booleans, names (enum values such as
 * `approximate=tanh`, symbols such as `N`) and flat lists. Arithmetic is integer-only, for block
 * parameters (`ch*4`, `ch/2`): a division must be exact and every result a safe integer.
 */
import type { AttrValue, Diagnostic, Span } from '@kiln/core';
import { error } from '@kiln/core';
import type { BinaryOperator, Expr } from '../ast.js';

/** Block parameters bound in the current expansion. */
export type Params = ReadonlyMap<string, AttrValue>;

type Report = (d: Diagnostic) => void;

function describe(v: AttrValue): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'boolean') return `\`${v}\``;
  return typeof v === 'string' ? `the name \`${v}\`` : String(v);
}

function arithmetic(
  op: BinaryOperator,
  a: number,
  b: number,
  span: Span,
  report: Report,
): number | undefined {
  if (op === '/' && b === 0) {
    report(error('dsl/expr', 'division by zero', span));
    return undefined;
  }
  if (op === '/' && a % b !== 0) {
    report(
      error('dsl/expr', `${a}/${b} does not divide exactly`, span, {
        hint: 'sizes are integers; choose values that divide',
      }),
    );
    return undefined;
  }
  const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;
  if (!Number.isSafeInteger(r)) {
    report(error('dsl/expr', `${a} ${op} ${b} overflows exact integer arithmetic`, span));
    return undefined;
  }
  return r;
}

function integer(v: AttrValue, span: Span, report: Report): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  report(
    error('dsl/expr', `arithmetic works on integers, got ${describe(v)}`, span, {
      hint: typeof v === 'string' ? `\`${v}\` is not a block parameter here` : undefined,
    }),
  );
  return undefined;
}

/** The value of `expr`, or undefined after reporting why it has none. */
export function evaluate(expr: Expr, params: Params, report: Report): AttrValue | undefined {
  switch (expr.kind) {
    case 'number':
      if (!Number.isFinite(expr.value)) {
        report(error('dsl/expr', 'number too large', expr.span));
        return undefined;
      }
      return expr.value;
    case 'bool':
      return expr.value;
    case 'name':
      return expr.name.quoted ? expr.name.text : (params.get(expr.name.text) ?? expr.name.text);
    case 'negate': {
      const v = evaluate(expr.operand, params, report);
      if (v === undefined) return undefined;
      if (typeof v !== 'number') {
        report(error('dsl/expr', `cannot negate ${describe(v)}`, expr.span));
        return undefined;
      }
      return v === 0 ? 0 : -v;
    }
    case 'list': {
      const items: (number | string)[] = [];
      for (const item of expr.items) {
        const v = evaluate(item, params, report);
        if (v === undefined) return undefined;
        if (typeof v !== 'number' && typeof v !== 'string') {
          report(error('dsl/expr', `a list holds numbers or names, not ${describe(v)}`, item.span));
          return undefined;
        }
        items.push(v);
      }
      return items;
    }
    case 'chain': {
      const first = evaluate(expr.first, params, report);
      let acc = first === undefined ? undefined : integer(first, expr.first.span, report);
      for (const { op, operand } of expr.rest) {
        if (acc === undefined) return undefined;
        const v = evaluate(operand, params, report);
        const b = v === undefined ? undefined : integer(v, operand.span, report);
        acc = b === undefined ? undefined : arithmetic(op, acc, b, expr.span, report);
      }
      return acc;
    }
  }
}

/** The kind of a value, for checking block arguments against their defaults. */
export function kindOf(v: AttrValue): 'integer' | 'number' | 'boolean' | 'name' | 'list' {
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'boolean' ? 'boolean' : 'name';
}

export function formatValue(v: AttrValue): string {
  return Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
}
