/**
 * The argument list of a call: positional values, `key=value` pairs, and trailing activation
 * flags (`conv 64 kernel=3 relu`). A bare name is a flag when it names an activation and is not
 * a block parameter; flags come last, so `gelu approximate=tanh` stays unambiguous.
 */
import type { AttrValue, Span } from '@kiln/core';
import { activationNames, error } from '@kiln/core';
import type { Arg, Name } from '../ast.js';
import type { Lowering } from './context.js';
import type { Params } from './values.js';
import { evaluate } from './values.js';

export interface Evaluated {
  readonly value: AttrValue;
  readonly span: Span;
  /** The unbound name the value was written as, if it was one (for did-you-mean hints). */
  readonly word?: string;
}

export interface SplitArgs {
  readonly positional: Evaluated[];
  readonly named: Map<string, Evaluated & { readonly key: Name }>;
  readonly flags: Name[];
  /** False when some value failed to evaluate (already reported). */
  readonly ok: boolean;
}

export function isFlag(arg: Arg, params: Params): boolean {
  return (
    !arg.key &&
    arg.value.kind === 'name' &&
    !arg.value.name.quoted &&
    activationNames.includes(arg.value.name.text) &&
    !params.has(arg.value.name.text)
  );
}

export function splitArgs(
  ctx: Lowering,
  args: readonly Arg[],
  params: Params,
  callee: string,
): SplitArgs {
  const out: SplitArgs = { positional: [], named: new Map(), flags: [], ok: true };
  let ok = true;
  for (const arg of args) {
    if (isFlag(arg, params) && arg.value.kind === 'name') {
      out.flags.push(arg.value.name);
      continue;
    }
    if (out.flags.length) {
      const flag = out.flags[out.flags.length - 1]!;
      ctx.report(
        error(
          'dsl/flag-order',
          `\`${flag.text}\` is an activation flag and must come last`,
          flag.span,
          {
            hint: `move it after the other arguments of \`${callee}\``,
          },
        ),
      );
      ok = false;
    }
    const value = evaluate(arg.value, params, (d) => ctx.report(d));
    if (value === undefined) {
      ok = false;
      continue;
    }
    const word =
      arg.value.kind === 'name' && !arg.value.name.quoted && typeof value === 'string'
        ? value
        : undefined;
    // A named value is located by its whole `key=value`: errors may be about either half.
    const span = arg.key ? arg.span : arg.value.span;
    const evaluated = { value, span, ...(word ? { word } : {}) };
    if (!arg.key) {
      out.positional.push(evaluated);
      continue;
    }
    const first = out.named.get(arg.key.text);
    if (first) {
      ctx.report(
        error('dsl/duplicate-attr', `\`${arg.key.text}\` is given twice`, arg.key.span, {
          notes: [{ message: 'first given here', span: first.key.span }],
        }),
      );
      ok = false;
      continue;
    }
    out.named.set(arg.key.text, { ...evaluated, key: arg.key });
  }
  return { ...out, ok };
}
