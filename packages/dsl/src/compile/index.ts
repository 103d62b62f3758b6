/**
 * `compile`: Kiln source to a checked IR graph. Phases: parse (every syntax error), lower (every
 * name and attribute error), then core's `checkGraph` (every shape error). Each phase runs only
 * if the ones before found no errors, so a mistake is reported once, not with its consequences.
 */
import type { Diagnostic, Graph, Shape } from '@kiln/core';
import { checkGraph, error, hasErrors } from '@kiln/core';
import type { ModelDef } from '../ast.js';
import { capErrors, parseSource } from '../parse.js';
import { SourceText } from '../source.js';
import { LimitExceeded, Lowering } from './context.js';
import type { ModelState } from './lower.js';
import { lowerBody } from './lower.js';
import { checkProgram } from './program.js';
import { Scope, writtenNames } from './scope.js';

export interface CompileResult {
  /** Present only when there are no errors. */
  readonly graph?: Graph;
  readonly shapes?: ReadonlyMap<string, Shape>;
  readonly diagnostics: Diagnostic[];
}

/** Most diagnostics reported by the lowering and checking phases. */
const MAX_ERRORS = 200;

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.message}|${d.span?.start}|${d.span?.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function lowerModel(ctx: Lowering, model: ModelDef): Graph {
  const state: ModelState = { outputs: [] };
  const scope = new Scope('', undefined, writtenNames(model.body));
  let last: string | undefined;
  try {
    last = lowerBody(ctx, model.body, scope, {
      params: new Map(),
      prev: undefined,
      frozen: false,
      model: state,
    });
  } catch (e) {
    if (!(e instanceof LimitExceeded)) throw e;
    ctx.diagnostics.push(e.diagnostic);
  }
  const outputs = state.outputs.length ? state.outputs.map((o) => o.tensor) : last ? [last] : [];
  return {
    name: model.name.text,
    nodes: ctx.nodes,
    outputs,
    ...(state.training ? { training: state.training } : {}),
    span: model.name.span,
  };
}

function compileSource(source: SourceText): CompileResult {
  const parsed = parseSource(source);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };
  const diagnostics: Diagnostic[] = [];
  const { blocks, model } = checkProgram(parsed.program, source, (d) => diagnostics.push(d));
  if (!model) return { diagnostics };
  const ctx = new Lowering(blocks);
  const graph = lowerModel(ctx, model);
  diagnostics.push(...ctx.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics: capErrors(dedupe(diagnostics), MAX_ERRORS) };
  const checked = checkGraph(graph);
  const located = checked.diagnostics.map((d) => {
    const frames = d.span ? ctx.callSites.get(d.span) : undefined;
    return frames ? { ...d, notes: [...d.notes, ...ctx.callNotes(frames)] } : d;
  });
  if (hasErrors(located)) return { diagnostics: capErrors(dedupe(located), MAX_ERRORS) };
  return { graph, shapes: checked.shapes, diagnostics: located };
}

export function compile(source: string, file = 'model.kiln'): CompileResult {
  const text = new SourceText(file, source);
  try {
    return compileSource(text);
  } catch (e) {
    // A bug, not a user error; still reported as data so callers never see an exception.
    const message = e instanceof Error ? e.message : String(e);
    return {
      diagnostics: [error('dsl/internal', `internal compiler error: ${message}`, text.span(0, 0))],
    };
  }
}
