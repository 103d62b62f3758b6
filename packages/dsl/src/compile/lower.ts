/**
 * Lowers statements to IR nodes, in order. Each statement yields the tensor the next one reads
 * when it names no inputs (`prev`). Model-only statements (`input`, `output`, `train`) update the
 * model state, which block bodies and `repeat` iterations do not have.
 */
import type { Span, TrainingConfig } from '@kiln/core';
import { didYouMean, error, getOp, opNames, resolveAttrs } from '@kiln/core';
import type { CallStmt, InputDecl, Name, RepeatStmt, Stmt } from '../ast.js';
import { splitArgs } from './args.js';
import { lowerBlockCall } from './block-call.js';
import type { Lowering } from './context.js';
import { MAX_REPEAT } from './context.js';
import { claimName, resolveName } from './names.js';
import { addFlags, lowerOpCall } from './op-call.js';
import { Scope, writtenNames } from './scope.js';
import { lowerTraining } from './training.js';
import type { Params } from './values.js';
import { evaluate } from './values.js';

export interface ModelState {
  readonly outputs: { readonly name: Name; readonly tensor: string }[];
  training?: TrainingConfig;
  trainSpan?: Span;
}

export interface Env {
  readonly params: Params;
  readonly prev: string | undefined;
  readonly frozen: boolean;
  /** Present only directly in a model's body. */
  readonly model?: ModelState;
}

/** Names people bring from other frameworks. */
const aliases: Record<string, string> = {
  linear: 'dense',
  fc: 'dense',
  fully_connected: 'dense',
  fullyconnected: 'dense',
  innerproduct: 'dense',
  gemm: 'dense',
  conv2d: 'conv',
  convolution: 'conv',
  convolution2d: 'conv',
  maxpool2d: 'maxpool',
  max_pool: 'maxpool',
  maxpooling2d: 'maxpool',
  avgpool2d: 'avgpool',
  avg_pool: 'avgpool',
  averagepooling2d: 'avgpool',
  adaptiveavgpool2d: 'global_avgpool',
  globalaveragepool: 'global_avgpool',
  globalaveragepooling2d: 'global_avgpool',
  bn: 'batchnorm',
  batchnorm2d: 'batchnorm',
  batchnormalization: 'batchnorm',
  batch_norm: 'batchnorm',
  cat: 'concat',
  concatenate: 'concat',
};

export function lowerBody(
  ctx: Lowering,
  body: readonly Stmt[],
  scope: Scope,
  env: Env,
): string | undefined {
  let prev = env.prev;
  for (const stmt of body) {
    ctx.step(stmt.span);
    prev = lowerStatement(ctx, stmt, scope, { ...env, prev });
  }
  return prev;
}

function misplaced(ctx: Lowering, what: string, span: Span): void {
  ctx.report(
    error('dsl/misplaced', `\`${what}\` belongs directly in a model's body`, span, {
      ...(what === 'input' ? { hint: 'a block reads its input as `in`' } : {}),
    }),
  );
}

function lowerStatement(ctx: Lowering, stmt: Stmt, scope: Scope, env: Env): string | undefined {
  switch (stmt.kind) {
    case 'call':
      return lowerCall(ctx, stmt, scope, env);
    case 'repeat':
      return lowerRepeat(ctx, stmt, scope, env);
    case 'freeze':
      return lowerBody(ctx, stmt.body, scope, { ...env, frozen: true });
    case 'input':
      if (!env.model) misplaced(ctx, 'input', stmt.span);
      return lowerInput(ctx, stmt, scope) ?? env.prev;
    case 'output':
      if (!env.model) misplaced(ctx, 'output', stmt.span);
      for (const name of stmt.names) {
        const tensor = resolveName(ctx, scope, name);
        if (tensor === undefined) continue;
        if (env.model?.outputs.some((o) => o.tensor === tensor)) {
          ctx.report(
            error('dsl/duplicate-output', `\`${name.text}\` is already an output`, name.span),
          );
        } else env.model?.outputs.push({ name, tensor });
      }
      return env.prev;
    case 'train':
      if (!env.model) misplaced(ctx, 'train', stmt.span);
      else if (env.model.training) {
        ctx.report(
          error('dsl/duplicate-train', 'the model has a second `train` section', stmt.span, {
            notes: env.model.trainSpan
              ? [{ message: 'the first is here', span: env.model.trainSpan }]
              : [],
          }),
        );
      } else {
        env.model.training = lowerTraining(ctx, stmt);
        env.model.trainSpan = stmt.span;
      }
      return env.prev;
  }
}

function lowerInput(ctx: Lowering, stmt: InputDecl, scope: Scope): string | undefined {
  const local = claimName(ctx, scope, stmt.name);
  const dims = stmt.dims.map((d) => evaluate(d, new Map(), (x) => ctx.report(x)));
  if (local === undefined || dims.some((d) => d === undefined)) return undefined;
  const name = scope.prefix + local;
  const first = stmt.dims[0]!.span;
  const dimSpan = { ...first, end: stmt.dims[stmt.dims.length - 1]!.span.end };
  const raw = new Map([
    ['shape', { value: dims as (number | string)[], span: dimSpan }],
    ['dtype', { value: stmt.dtype.text, span: stmt.dtype.span }],
  ]);
  const { attrs, diagnostics } = resolveAttrs(getOp('input')!, raw, {
    node: name,
    span: stmt.span,
  });
  diagnostics.forEach((d) => ctx.report(d));
  ctx.addNode({ name, op: 'input', inputs: [], attrs, span: stmt.span });
  scope.define(local, { tensor: name, span: stmt.name.span });
  return name;
}

function lowerRepeat(ctx: Lowering, stmt: RepeatStmt, scope: Scope, env: Env): string | undefined {
  const count = evaluate(stmt.count, env.params, (d) => ctx.report(d));
  const local =
    (stmt.name && claimName(ctx, scope, stmt.name)) ??
    scope.autoName('repeat', (n) => ctx.isDefined(n));
  let prev = env.prev;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_REPEAT) {
    if (count !== undefined) {
      ctx.report(
        error(
          'dsl/repeat-count',
          `repeat needs a count from 0 to ${MAX_REPEAT}, got ${String(count)}`,
          stmt.count.span,
        ),
      );
    }
  } else {
    const written = writtenNames(stmt.body);
    const frozen = env.frozen || stmt.frozen;
    for (let i = 0; i < count; i++) {
      ctx.step(stmt.span);
      const before = ctx.diagnostics.length;
      const iteration = new Scope(`${scope.prefix}${local}.${i}.`, scope, written);
      prev = lowerBody(ctx, stmt.body, iteration, { params: env.params, prev, frozen });
      // A mistake in the body would be reported once per iteration; once is enough.
      if (ctx.diagnostics.length > before) break;
    }
  }
  if (stmt.name && !scope.local(stmt.name.text)) {
    scope.define(stmt.name.text, { tensor: prev ?? '', span: stmt.name.span });
  }
  return prev;
}

function lowerCall(ctx: Lowering, stmt: CallStmt, scope: Scope, env: Env): string | undefined {
  const callee = stmt.callee.text;
  const block = ctx.blocks.get(callee);
  const op = block ? undefined : getOp(callee);
  let inputs: string[] | undefined;
  if (stmt.inputs) {
    const resolved = stmt.inputs.map((n) => resolveName(ctx, scope, n));
    inputs = resolved.every((r) => r !== undefined) ? (resolved as string[]) : undefined;
  } else if (env.prev !== undefined) {
    inputs = [env.prev];
  } else {
    ctx.report(
      error('dsl/no-input', `\`${callee}\` has no input to read`, stmt.callee.span, {
        hint: 'declare `input name: f32[...]` before the first layer, or name its inputs',
      }),
    );
  }
  if (!block && (!op || op.name === 'input')) {
    const known = [...opNames.filter((n) => n !== 'input'), ...ctx.blocks.keys()];
    const alias = aliases[callee.toLowerCase()];
    const hint = alias ? `did you mean \`${alias}\`?` : didYouMean(callee, known);
    ctx.report(
      error(
        'dsl/unknown-op',
        `unknown op or block \`${callee}\``,
        stmt.callee.span,
        hint ? { hint } : {},
      ),
    );
    return define(scope, stmt, env.prev);
  }
  const local =
    (stmt.name && claimName(ctx, scope, stmt.name)) ??
    scope.autoName(callee, (n) => ctx.isDefined(n));
  const site = { name: scope.prefix + local, frozen: env.frozen || stmt.frozen, span: stmt.span };
  const args = splitArgs(ctx, stmt.args, env.params, callee);
  let out: string | undefined;
  if (block) {
    if (stmt.inputs && stmt.inputs.length !== 1) {
      ctx.report(
        error(
          'dsl/block-args',
          `block \`${callee}\` reads one input, got ${stmt.inputs.length}`,
          stmt.callee.span,
        ),
      );
      return define(scope, stmt, env.prev);
    }
    const result = lowerBlockCall(ctx, stmt, block, inputs?.[0], args, site, lowerBody);
    out =
      result === undefined ? undefined : addFlags(ctx, result, site.name, args.flags, site.frozen);
  } else {
    const params = [...env.params.keys()];
    out = lowerOpCall(ctx, stmt, op!, inputs ?? [], args, site, params);
  }
  return define(scope, stmt, out ?? env.prev);
}

function define(scope: Scope, stmt: CallStmt, tensor: string | undefined): string | undefined {
  if (stmt.name && !scope.local(stmt.name.text)) {
    scope.define(stmt.name.text, { tensor: tensor ?? '', span: stmt.name.span });
  }
  return tensor;
}
