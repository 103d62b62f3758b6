/**
 * Weights for a command: read from a safetensors file and validated against the graph, or
 * seeded (the same seed gives the same weights on every machine).
 */
import type { Graph, Shape, Weights } from '@kiln/core';
import {
  decodeSafetensors,
  DiagnosticError,
  initWeights,
  renderDiagnostics,
  validateWeights,
} from '@kiln/core';
import { why } from './errno.js';
import type { Io } from './io.js';
import { UserError, exitCode } from './io.js';
import type { LoadedModel } from './model.js';

export interface WeightChoice {
  readonly weights: Weights;
  /** What the user should know about where the weights came from. */
  readonly origin: string;
}

function readBytes(io: Io, path: string): Uint8Array {
  try {
    return io.readFile(path);
  } catch (e) {
    throw new UserError(`error: cannot read weights \`${path}\`: ${why(e)}`);
  }
}

export function chooseWeights(
  io: Io,
  model: LoadedModel,
  graph: Graph,
  shapes: ReadonlyMap<string, Shape>,
  file: string | undefined,
  seed: number,
): WeightChoice {
  if (file === undefined) {
    return {
      weights: initWeights(graph, shapes, seed),
      origin: `seeded initialisation (seed ${seed})`,
    };
  }
  let weights: Weights;
  try {
    weights = decodeSafetensors(readBytes(io, file));
  } catch (e) {
    if (e instanceof DiagnosticError) {
      const text = `${file}: ${e.diagnostics.map((d) => `error: ${d.message}`).join('\n')}`;
      throw new UserError(text, exitCode.userError, e.diagnostics);
    }
    throw e;
  }
  if ([...weights.keys()].some((name) => name.startsWith('@optimizer/'))) {
    throw new UserError(
      `error: \`${file}\` is a training checkpoint (weights plus optimizer state); give the ` +
        `weights file \`kiln train\` wrote with -o, or continue training with --resume ${file}`,
    );
  }
  const problems = validateWeights(graph, shapes, weights, { finite: true });
  if (problems.length) {
    const rendered = renderDiagnostics(problems, { [model.path]: model.text }, file);
    const text = `${rendered}\n\n${file}: the weights do not fit \`${model.path}\``;
    throw new UserError(text, exitCode.userError, problems);
  }
  return { weights, origin: `loaded from ${file}` };
}
