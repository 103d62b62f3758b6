/**
 * Lowers a block call: binds the arguments to the block's parameters, then expands the block's
 * body in a fresh scope whose node names get the instance's prefix (`s.conv1`). Recursion and
 * over-deep call chains are refused, so expansion always ends.
 */
import type { AttrValue, Span } from '@kiln/core';
import { didYouMean, error } from '@kiln/core';
import type { BlockDef, CallStmt } from '../ast.js';
import type { SplitArgs } from './args.js';
import type { Lowering } from './context.js';
import { MAX_CALL_DEPTH } from './context.js';
import type { NodeSite } from './op-call.js';
import { Scope, writtenNames } from './scope.js';
import type { Params } from './values.js';
import { evaluate, formatValue, kindOf } from './values.js';

/** Lowers a body in an environment; provided by `lower.ts` (the two recurse into each other). */
export type LowerBody = (
  ctx: Lowering,
  body: BlockDef['body'],
  scope: Scope,
  env: { params: Params; prev: string | undefined; frozen: boolean },
) => string | undefined;

function paramList(block: BlockDef): string {
  return block.params.length
    ? block.params.map((p) => `\`${p.name.text}\``).join(', ')
    : 'no arguments';
}

function blockArgsError(
  ctx: Lowering,
  block: BlockDef,
  message: string,
  span: Span,
  hint?: string,
) {
  ctx.report(
    error('dsl/block-args', message, span, {
      ...(hint ? { hint } : {}),
      notes: [{ message: `block \`${block.name.text}\` is defined here`, span: block.name.span }],
    }),
  );
}

/** The parameter values of one call, or undefined after reporting what is wrong. */
function bindArgs(
  ctx: Lowering,
  block: BlockDef,
  stmt: CallStmt,
  args: SplitArgs,
): Map<string, AttrValue> | undefined {
  const bound = new Map<string, AttrValue>();
  const given = new Map<string, Span>();
  let ok = args.ok;
  const names = block.params.map((p) => p.name.text);
  args.positional.forEach((arg, i) => {
    const param = block.params[i];
    if (!param) {
      const n = block.params.length;
      blockArgsError(
        ctx,
        block,
        `block \`${block.name.text}\` takes ${n} argument${n === 1 ? '' : 's'}, got ${args.positional.length}`,
        arg.span,
        `its parameters: ${paramList(block)}`,
      );
      ok = false;
      return;
    }
    bound.set(param.name.text, arg.value);
    given.set(param.name.text, arg.span);
  });
  for (const [key, arg] of args.named) {
    if (!names.includes(key)) {
      const hint = didYouMean(key, names) ?? `its parameters: ${paramList(block)}`;
      blockArgsError(
        ctx,
        block,
        `block \`${block.name.text}\` has no parameter \`${key}\``,
        arg.key.span,
        hint,
      );
      ok = false;
    } else if (bound.has(key)) {
      blockArgsError(
        ctx,
        block,
        `\`${key}\` is given twice`,
        arg.key.span,
        'it was also given positionally',
      );
      ok = false;
    } else {
      bound.set(key, arg.value);
      given.set(key, arg.span);
    }
  }
  for (const param of block.params) {
    const name = param.name.text;
    const value = bound.get(name);
    if (param.default === undefined) {
      if (value === undefined) {
        blockArgsError(
          ctx,
          block,
          `block \`${block.name.text}\` needs the argument \`${name}\``,
          stmt.callee.span,
          `pass it positionally or as \`${name}=...\``,
        );
        ok = false;
      }
      continue;
    }
    // Defaults may use the parameters before them (`mid=ch/4`).
    const fallback = evaluate(param.default, bound, (d) => ctx.report(d));
    if (fallback === undefined) {
      ok = false;
      continue;
    }
    if (value === undefined) {
      bound.set(name, fallback);
    } else if (!compatible(value, fallback)) {
      blockArgsError(
        ctx,
        block,
        `argument \`${name}\` of block \`${block.name.text}\` should be ${article(kindOf(fallback))} like its default ${formatValue(fallback)}, got ${formatValue(value)}`,
        given.get(name) ?? stmt.callee.span,
      );
      ok = false;
    }
  }
  return ok ? bound : undefined;
}

function compatible(value: AttrValue, fallback: AttrValue): boolean {
  const want = kindOf(fallback);
  const got = kindOf(value);
  return want === got || (want === 'number' && got === 'integer');
}

function article(kind: string): string {
  return kind === 'integer' ? 'an integer' : `a ${kind}`;
}

export function lowerBlockCall(
  ctx: Lowering,
  stmt: CallStmt,
  block: BlockDef,
  input: string | undefined,
  args: SplitArgs,
  site: NodeSite,
  lowerBody: LowerBody,
): string | undefined {
  const blockName = block.name.text;
  const cycle = ctx.calls.findIndex((f) => f.block === blockName);
  if (cycle >= 0) {
    const path = [...ctx.calls.slice(cycle).map((f) => f.block), blockName].join(' -> ');
    ctx.report(
      error(
        'dsl/recursive-block',
        `block \`${blockName}\` calls itself (${path})`,
        stmt.callee.span,
        {
          hint: 'a block cannot expand into itself; write the repetition with `repeat`',
        },
      ),
    );
    return undefined;
  }
  if (ctx.calls.length >= MAX_CALL_DEPTH) {
    ctx.report(
      error(
        'dsl/too-large',
        `blocks call each other more than ${MAX_CALL_DEPTH} levels deep`,
        stmt.callee.span,
      ),
    );
    return undefined;
  }
  const params = bindArgs(ctx, block, stmt, args);
  if (!params || input === undefined) return undefined;
  ctx.calls.push({ block: blockName, instance: site.name, span: site.span });
  const scope = new Scope(`${site.name}.`, undefined, writtenNames(block.body));
  scope.define('in', { tensor: input, span: block.name.span });
  const out = lowerBody(ctx, block.body, scope, { params, prev: input, frozen: site.frozen });
  ctx.calls.pop();
  return out;
}
