/**
 * Lowers a call of a core op: positional arguments fill the op's `positional` attributes in
 * order, `key=value` pairs the rest; core's `resolveAttrs` checks and normalises them. Activation
 * flags then add one node each, named `<layer>_<activation>`.
 */
import type { Diagnostic, OpDef, RawAttr, Span } from '@kiln/core';
import { activationNames, closest, didYouMean, error, getOp, resolveAttrs } from '@kiln/core';
import type { CallStmt, Name } from '../ast.js';
import type { SplitArgs } from './args.js';
import type { Lowering } from './context.js';

function positionalNames(op: OpDef): string {
  return op.positional.map((p) => `\`${p}\``).join(', ');
}

/** Why an extra positional value is there, when that can be guessed. */
function extraHint(op: OpDef, word: string | undefined): string | undefined {
  if (word === 'softmax') return '`softmax` is not a flag; write it as its own statement';
  const flag = word ? didYouMean(word, activationNames) : undefined;
  if (flag) return flag;
  return op.positional.length
    ? `${op.name} takes ${positionalNames(op)} positionally; name the others (\`key=value\`)`
    : `${op.name} takes only \`key=value\` arguments`;
}

function rawAttrs(ctx: Lowering, op: OpDef, args: SplitArgs): Map<string, RawAttr> | undefined {
  const raw = new Map<string, RawAttr>();
  let ok = args.ok;
  args.positional.forEach((arg, i) => {
    const attr = op.positional[i];
    if (attr === undefined) {
      const n = op.positional.length;
      ctx.report(
        error(
          'dsl/too-many-args',
          `${op.name} takes ${n === 0 ? 'no' : `at most ${n}`} positional argument${n === 1 ? '' : 's'}`,
          arg.span,
          { hint: extraHint(op, arg.word) },
        ),
      );
      ok = false;
      return;
    }
    raw.set(attr, { value: arg.value, span: arg.span });
  });
  for (const [key, arg] of args.named) {
    const given = raw.get(key);
    if (given) {
      ctx.report(
        error('dsl/duplicate-attr', `\`${key}\` is given twice`, arg.key.span, {
          notes: [
            {
              message: 'first given positionally here',
              ...(given.span ? { span: given.span } : {}),
            },
          ],
        }),
      );
      ok = false;
      continue;
    }
    raw.set(key, { value: arg.value, span: arg.span });
  }
  return ok ? raw : undefined;
}

/** Adds a hint naming a block parameter when an attribute got a misspelt one as its value. */
function withParamHint(d: Diagnostic, args: SplitArgs, params: readonly string[]): Diagnostic {
  if (d.code !== 'attr/invalid' || !params.length) return d;
  const all = [...args.positional, ...args.named.values()];
  const arg = all.find((a) => a.word !== undefined && a.span.start === d.span?.start);
  const hint = arg?.word ? didYouMean(arg.word, params) : undefined;
  return hint ? { ...d, hint: `${hint} (a parameter of this block)` } : d;
}

/** The attributes that unknown keys were most likely meant to be. */
function misspelt(op: OpDef, raw: ReadonlyMap<string, RawAttr>): string[] {
  const names = Object.keys(op.attrs);
  return [...raw.keys()]
    .filter((k) => !(k in op.attrs))
    .map((k) => closest(k, names))
    .filter((m): m is string => m !== undefined);
}

export interface NodeSite {
  readonly name: string;
  readonly frozen: boolean;
  readonly span: Span;
}

export function lowerOpCall(
  ctx: Lowering,
  stmt: CallStmt,
  op: OpDef,
  inputs: readonly string[],
  args: SplitArgs,
  site: NodeSite,
  params: readonly string[],
): string {
  const raw = rawAttrs(ctx, op, args);
  let attrs = {};
  if (raw) {
    const resolved = resolveAttrs(op, raw, { node: site.name, span: stmt.callee.span });
    const meant = misspelt(op, raw);
    for (const d of resolved.diagnostics) {
      // `kernal=3` already says "did you mean `kernel`?"; "needs `kernel`" would repeat it.
      const repeats =
        d.code === 'attr/missing' && meant.some((m) => d.message.includes(`\`${m}\``));
      if (!repeats) ctx.report(withParamHint(d, args, params));
    }
    attrs = resolved.attrs;
  }
  ctx.addNode({
    name: site.name,
    op: op.name,
    inputs: [...inputs],
    attrs,
    ...(site.frozen ? { frozen: true } : {}),
    span: site.span,
  });
  return addFlags(ctx, site.name, site.name, args.flags, site.frozen);
}

/**
 * One activation node per flag, each reading the one before; the first is named after `base`
 * (the statement's node or block instance), the rest after the flag before. Returns the last.
 */
export function addFlags(
  ctx: Lowering,
  from: string,
  base: string,
  flags: readonly Name[],
  frozen: boolean,
): string {
  let last = from;
  let stem = base;
  for (const flag of flags) {
    const op = getOp(flag.text)!;
    const name = `${stem}_${flag.text}`;
    stem = name;
    const { attrs } = resolveAttrs(op, new Map(), { node: name, span: flag.span });
    ctx.addNode({
      name,
      op: op.name,
      inputs: [last],
      attrs,
      ...(frozen ? { frozen: true } : {}),
      span: flag.span,
    });
    last = name;
  }
  return last;
}
