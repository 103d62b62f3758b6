/** Loads a `.kiln` file into a checked graph, or fails with every diagnostic rendered. */
import type { Diagnostic, Graph, Shape } from '@kiln/core';
import { checkGraph, hasErrors, renderDiagnostics } from '@kiln/core';
import { compile } from '@kiln/dsl';
import type { Io } from './io.js';
import { UserError, exitCode } from './io.js';
import { readSource } from './source.js';

export interface LoadedModel {
  readonly path: string;
  readonly text: string;
  readonly graph: Graph;
  readonly shapes: ReadonlyMap<string, Shape>;
  readonly diagnostics: readonly Diagnostic[];
}

/** The located errors of a model, already rendered for the terminal. */
export class ModelError extends UserError {
  constructor(
    override readonly diagnostics: readonly Diagnostic[],
    rendered: string,
  ) {
    super(rendered, exitCode.userError, diagnostics);
    this.name = 'ModelError';
  }
}

/** More than this many diagnostics bury the first one, which is usually the cause. */
const SHOWN = 50;

function renderSome(diagnostics: readonly Diagnostic[], path: string, text: string): string {
  const rendered = renderDiagnostics(diagnostics.slice(0, SHOWN), { [path]: text }, path);
  const rest = diagnostics.length - SHOWN;
  return rest > 0
    ? `${rendered}\n\n... and ${rest} more (\`kiln check --json\` lists all)`
    : rendered;
}

function errorCount(diagnostics: readonly Diagnostic[]): string {
  const n = diagnostics.filter((d) => d.severity === 'error').length;
  return `${n} error${n === 1 ? '' : 's'}`;
}

export function loadModel(io: Io, path: string): LoadedModel {
  const source = readSource(io, path);
  if ('diagnostic' in source) {
    const sources = { [path]: source.text };
    throw new ModelError(
      [source.diagnostic],
      renderDiagnostics([source.diagnostic], sources, path),
    );
  }
  const result = compile(source.text, path);
  if (hasErrors(result.diagnostics) || !result.graph || !result.shapes) {
    const rendered = renderSome(result.diagnostics, path, source.text);
    throw new ModelError(
      result.diagnostics,
      `${rendered}\n\n${path}: ${errorCount(result.diagnostics)}`,
    );
  }
  return {
    path,
    text: source.text,
    graph: result.graph,
    shapes: result.shapes,
    diagnostics: result.diagnostics,
  };
}

/** Re-checks a graph derived from a loaded model (new input shapes, a rewrite). */
export function recheck(model: LoadedModel, graph: Graph): ReadonlyMap<string, Shape> {
  const { shapes, diagnostics } = checkGraph(graph);
  if (hasErrors(diagnostics)) {
    throw new ModelError(diagnostics, renderSome(diagnostics, model.path, model.text));
  }
  return shapes;
}
