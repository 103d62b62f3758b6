/**
 * The pass registry and the pipeline that runs passes in order. The input graph must check
 * cleanly (a user error otherwise, reported with the checker's diagnostics). After every pass
 * the graph is checked again: a pass that produces an invalid graph is a bug in that pass, and
 * the pipeline stops with the pass named rather than handing a broken graph on.
 */
import type { Weights } from '../backend/types.js';
import { DiagnosticError, hasErrors } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { checkGraph } from '../ir/check.js';
import type { Graph, Shape } from '../ir/types.js';
import { dropDropout } from './drop_dropout.js';
import { fcToConv } from './fc_to_conv.js';
import { foldBatchnorm } from './fold_batchnorm.js';
import { gapHead } from './gap_head.js';
import type { Pass, PassOptions, PassReport } from './pass.js';

const all: readonly Pass[] = [fcToConv, foldBatchnorm, dropDropout, gapHead];

export const passes: ReadonlyMap<string, Pass> = new Map(all.map((p) => [p.name, p]));

export const passNames: readonly string[] = all.map((p) => p.name);

export class UnknownPassError extends Error {
  constructor(readonly pass: string) {
    const hint = didYouMean(pass, passNames);
    super(`unknown pass \`${pass}\`${hint ? `; ${hint}` : ''} (passes: ${passNames.join(', ')})`);
    this.name = 'UnknownPassError';
  }
}

/** A pass produced a graph the checker rejects: an internal fault of that pass. */
export class PassFaultError extends Error {
  constructor(
    readonly pass: string,
    detail: string,
  ) {
    super(`internal fault: pass \`${pass}\` produced an invalid graph: ${detail}`);
    this.name = 'PassFaultError';
  }
}

export function getPass(name: string): Pass {
  const pass = passes.get(name);
  if (!pass) throw new UnknownPassError(name);
  return pass;
}

export interface PipelineResult {
  readonly graph: Graph;
  readonly shapes: ReadonlyMap<string, Shape>;
  /** The given weights mapped through every pass; absent when none were given. */
  readonly weights?: Weights;
  readonly reports: readonly PassReport[];
  /** True when some pass that ran changes results (the model needs retraining). */
  readonly changesResults: boolean;
}

/** Runs passes in order; a name is looked up in the registry, a `Pass` object runs as given. */
export function runPasses(
  graph: Graph,
  names: readonly (string | Pass)[],
  weights?: Weights,
  options: PassOptions = {},
): PipelineResult {
  const pipeline = names.map((p) => (typeof p === 'string' ? getPass(p) : p));
  const first = checkGraph(graph);
  if (hasErrors(first.diagnostics)) throw new DiagnosticError(first.diagnostics);
  let current = graph;
  let shapes = first.shapes;
  let mapped = weights;
  let changesResults = false;
  const reports: PassReport[] = [];
  for (const pass of pipeline) {
    const result = pass.run(current, shapes, options);
    const checked = checkGraph(result.graph);
    const errors = checked.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) throw new PassFaultError(pass.name, errors.map((d) => d.message).join('; '));
    current = result.graph;
    shapes = checked.shapes;
    if (mapped && result.mapWeights) mapped = result.mapWeights(mapped);
    changesResults ||= pass.changesResults && result.report.changed.length > 0;
    reports.push(result.report);
  }
  return {
    graph: current,
    shapes,
    ...(mapped ? { weights: mapped } : {}),
    reports,
    changesResults,
  };
}
