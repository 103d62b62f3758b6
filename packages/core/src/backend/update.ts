/**
 * The contract of `Session.updateWeights`, shared by every backend: an update names weights the
 * session already has and gives each with its old shape, dtype and length (a session's buffers,
 * packed panels and plans were sized from them). It returns the merged weights and the nodes to
 * re-prepare: each owner of an updated weight, and every backward node that reads that owner's
 * weights through its `of` attribute.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import { formatShape } from '../ir/dims.js';
import type { Graph } from '../ir/types.js';
import type { Tensor, Weights } from './types.js';

export interface UpdatedWeights {
  readonly weights: ReadonlyMap<string, Tensor>;
  /** Names of the nodes whose kernels read an updated weight, in graph order. */
  readonly nodes: readonly string[];
}

export function updatedWeights(graph: Graph, current: Weights, update: Weights): UpdatedWeights {
  const problems: Diagnostic[] = [];
  const owners = new Set<string>();
  for (const [name, t] of update) {
    const old = current.get(name);
    const where = graph.nodes.find((n) => n.name === name.slice(0, name.lastIndexOf('.')));
    if (!old) {
      problems.push(
        error('weights/update', `cannot update weight \`${name}\`: the session has no such weight`),
      );
      continue;
    }
    const same =
      t.data instanceof Float32Array &&
      t.dtype === old.dtype &&
      t.data.length === old.data.length &&
      t.shape.length === old.shape.length &&
      t.shape.every((d, i) => d === old.shape[i]);
    if (!same) {
      problems.push(
        error(
          'weights/update',
          `cannot update weight \`${name}\` ${formatShape(old.shape)} with a ${t.dtype} tensor of shape ${formatShape(t.shape)} holding ${t.data.length} values`,
          where?.span,
        ),
      );
      continue;
    }
    owners.add(where!.name);
  }
  if (problems.length) throw new DiagnosticError(problems);
  const weights = new Map(current);
  for (const [name, t] of update) weights.set(name, t);
  const nodes = graph.nodes
    .filter((n) => owners.has(n.name) || owners.has(n.attrs['of'] as string))
    .map((n) => n.name);
  return { weights, nodes };
}
