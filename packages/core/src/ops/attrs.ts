/**
 * Checks raw attribute values against an op's schema and normalises them: defaults filled in,
 * `kernel=3` widened to `[3, 3]`, `pad=[1, 2]` to `[1, 2, 1, 2]`. Reports every problem found.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { Attrs, AttrValue } from '../ir/types.js';
import type { AttrSpec, OpDef } from './schema.js';

export interface RawAttr {
  readonly value: AttrValue;
  readonly span?: Span;
}

type Check = { value: AttrValue } | { problem: string };

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function describe(v: AttrValue): string {
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'string') return `\`${v}\``;
  return typeof v === 'boolean' ? `${v}` : String(v);
}

function inRange(values: readonly number[], spec: AttrSpec): string | undefined {
  for (const v of values) {
    if (spec.min !== undefined && v < spec.min) return `must be at least ${spec.min}, got ${v}`;
    if (spec.max !== undefined && v > spec.max) return `must be at most ${spec.max}, got ${v}`;
  }
  return undefined;
}

function intList(v: AttrValue): number[] | undefined {
  if (isInt(v)) return [v];
  if (Array.isArray(v) && v.every(isInt)) return [...(v as number[])];
  return undefined;
}

function checkValue(spec: AttrSpec, v: AttrValue): Check {
  const range = (values: number[], value: AttrValue): Check => {
    const problem = inRange(values, spec);
    return problem ? { problem } : { value };
  };
  switch (spec.kind) {
    case 'int':
      return isInt(v) ? range([v], v) : { problem: `expects an integer, got ${describe(v)}` };
    case 'float':
      return typeof v === 'number' && Number.isFinite(v)
        ? range([v], v)
        : { problem: `expects a number, got ${describe(v)}` };
    case 'bool':
      return typeof v === 'boolean'
        ? { value: v }
        : { problem: `expects true or false, got ${describe(v)}` };
    case 'enum':
      return typeof v === 'string' && spec.values!.includes(v)
        ? { value: v }
        : {
            problem: `expects one of ${spec.values!.map((x) => `\`${x}\``).join(', ')}, got ${describe(v)}`,
          };
    case 'pair': {
      const list = intList(v);
      if (!list || (list.length !== 1 && list.length !== 2)) {
        return { problem: `expects an integer or [h, w], got ${describe(v)}` };
      }
      const pair = list.length === 1 ? [list[0]!, list[0]!] : list;
      return range(pair, pair);
    }
    case 'pads': {
      const list = intList(v);
      if (!list || ![1, 2, 4].includes(list.length)) {
        return { problem: `expects p, [h, w] or [top, left, bottom, right], got ${describe(v)}` };
      }
      const pads =
        list.length === 1
          ? [list[0]!, list[0]!, list[0]!, list[0]!]
          : list.length === 2
            ? [list[0]!, list[1]!, list[0]!, list[1]!]
            : list;
      return range(pads, pads);
    }
    case 'ints': {
      const list = Array.isArray(v) && v.every(isInt) ? (v as number[]) : undefined;
      return list
        ? range(list, list)
        : { problem: `expects a list of integers, got ${describe(v)}` };
    }
    case 'name':
      return typeof v === 'string' && v.length > 0
        ? { value: v }
        : { problem: `expects a node name, got ${describe(v)}` };
    case 'shape': {
      const ok =
        Array.isArray(v) &&
        v.every((d) => (isInt(d) && d >= 1) || (typeof d === 'string' && /^[A-Za-z_]\w*$/.test(d)));
      return ok ? { value: v } : { problem: 'expects a list of positive integers or symbols' };
    }
  }
}

/**
 * Resolves the attributes written for one node. `where` names the node and locates errors about
 * missing attributes; each given attribute's own span locates errors about its value.
 */
export function resolveAttrs(
  op: OpDef,
  raw: ReadonlyMap<string, RawAttr>,
  where: { node: string; span?: Span },
): { attrs: Attrs; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const attrs: Record<string, AttrValue> = {};
  for (const [name, given] of raw) {
    const spec = op.attrs[name];
    if (!spec) {
      const names = Object.keys(op.attrs);
      const hint =
        didYouMean(name, names) ??
        (names.length
          ? `${op.name} takes ${names.map((n) => `\`${n}\``).join(', ')}`
          : `${op.name} takes no attributes`);
      diagnostics.push(
        error('attr/unknown', `${op.name} has no attribute \`${name}\``, given.span ?? where.span, {
          hint,
        }),
      );
      continue;
    }
    const checked = checkValue(spec, given.value);
    if ('problem' in checked) {
      diagnostics.push(
        error(
          'attr/invalid',
          `${op.name} attribute \`${name}\` ${checked.problem}`,
          given.span ?? where.span,
          {
            hint: spec.doc,
          },
        ),
      );
    } else {
      attrs[name] = checked.value;
    }
  }
  for (const [name, spec] of Object.entries(op.attrs)) {
    if (name in attrs || raw.has(name)) continue;
    if (spec.default === undefined) {
      diagnostics.push(
        error(
          'attr/missing',
          `${op.name} \`${where.node}\` needs attribute \`${name}\` (${spec.doc})`,
          where.span,
        ),
      );
      continue;
    }
    const value = typeof spec.default === 'function' ? spec.default(attrs) : spec.default;
    if (value !== undefined) attrs[name] = value;
  }
  return { attrs, diagnostics };
}

/** Checks the attributes of a node already in the IR (for graphs built or rewritten in code). */
export function checkNodeAttrs(
  op: OpDef,
  attrs: Attrs,
  where: { node: string; span?: Span },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, spec] of Object.entries(op.attrs)) {
    const value = attrs[name];
    if (value === undefined) {
      out.push(
        error(
          'attr/missing',
          `${op.name} \`${where.node}\` has no attribute \`${name}\``,
          where.span,
        ),
      );
      continue;
    }
    const checked = checkValue(spec, value);
    if ('problem' in checked) {
      out.push(
        error(
          'attr/invalid',
          `${op.name} \`${where.node}\` attribute \`${name}\` ${checked.problem}`,
          where.span,
        ),
      );
    }
  }
  for (const name of Object.keys(attrs)) {
    if (!(name in op.attrs)) {
      out.push(
        error(
          'attr/unknown',
          `${op.name} \`${where.node}\` has no attribute \`${name}\``,
          where.span,
        ),
      );
    }
  }
  return out;
}
