/**
 * `drop-dropout` (inference): removes `dropout` nodes.
 *
 * Pattern: any `dropout`. Readers of it read its input instead.
 * Precondition: the rewritten model is used for inference (`options.training` is not set).
 * Why outputs stay equal: inverted dropout scales at training time, so at inference it is the
 * identity; removing an identity changes no value.
 *
 * Naming: a model's output names are its interface, so they never change. A dropout that is a
 * model output is removed only when the node it reads can take its name: a node other than a
 * model input, read by nothing but this dropout, not an output itself, and without weights (a
 * renamed weight would no longer match the model's weights file). Otherwise it stays, and the
 * report says why.
 */
import type { Graph, Node, Shape } from '../ir/types.js';
import { getOp } from '../ops/registry.js';
import { readersOf, rewire, useCount } from './graph_edit.js';
import type { Pass, PassChange, PassSkip } from './pass.js';

/** Why `source` cannot take the name of the output dropout reading it, or undefined if it can. */
function cannotTakeName(
  graph: Graph,
  readers: ReadonlyMap<string, Node[]>,
  shapes: ReadonlyMap<string, Shape>,
  source: Node,
): string | undefined {
  const name = `\`${source.name}\``;
  if (source.op === 'input') return `${name} is a model input`;
  if (graph.outputs.includes(source.name)) return `${name} is an output too`;
  if (useCount(graph, readers, source.name) !== 1) return `${name} has other readers`;
  if (hasWeights(source, shapes)) return `${name} has weights, which would be renamed`;
  return undefined;
}

function hasWeights(node: Node, shapes: ReadonlyMap<string, Shape>): boolean {
  const inputs = node.inputs.map((i) => shapes.get(i));
  if (inputs.some((s) => s === undefined)) return true;
  try {
    return getOp(node.op)!.params(inputs as Shape[], node.attrs).length > 0;
  } catch {
    return true; // unknowable parameters: assume there are some
  }
}

export const dropDropout: Pass = {
  name: 'drop-dropout',
  summary: 'remove dropout (the identity at inference)',
  changesResults: false,
  run(graph, shapes, options) {
    const changed: PassChange[] = [];
    const skipped: PassSkip[] = [];
    const dropouts = graph.nodes.filter((n) => n.op === 'dropout');
    if (options.training) {
      for (const n of dropouts) {
        skipped.push({ node: n.name, why: 'dropout is kept for training (it acts only there)' });
      }
      return { graph, report: { pass: 'drop-dropout', changed, skipped, notes: [] } };
    }
    // First every dropout that is not an output goes; its readers read its input.
    const alias = new Map<string, string>();
    const kept: Node[] = [];
    for (const node of graph.nodes) {
      if (node.op === 'dropout' && !graph.outputs.includes(node.name)) {
        alias.set(node.name, node.inputs[0]!);
        changed.push({ node: node.name, what: `removed; readers now read \`${node.inputs[0]}\`` });
      } else {
        kept.push(rewire(node, alias));
      }
    }
    // Then each output dropout goes only if the node it reads can take its name. Renaming that
    // node in place keeps the order: its only reader was the dropout, which comes after it.
    const middle: Graph = { ...graph, nodes: kept };
    const readers = readersOf(middle);
    const byName = new Map(kept.map((n) => [n.name, n]));
    const renamed = new Map<string, string>();
    const removed = new Set<string>();
    for (const node of kept.filter((n) => n.op === 'dropout')) {
      const source = byName.get(node.inputs[0]!)!;
      const why = cannotTakeName(middle, readers, shapes, source);
      if (why !== undefined) {
        const reason = 'it is a model output; removing it would rename the output';
        skipped.push({ node: node.name, why: `${reason} (${why})` });
        continue;
      }
      renamed.set(source.name, node.name);
      removed.add(node.name);
      changed.push({
        node: node.name,
        what: `removed; \`${source.name}\` takes its name, so the output keeps it`,
      });
    }
    const nodes = kept
      .filter((n) => !removed.has(n.name))
      .map((n) => (renamed.has(n.name) ? { ...n, name: renamed.get(n.name)! } : n));
    const order = new Map(graph.nodes.map((n, i) => [n.name, i]));
    const byOrder = (a: { node: string }, b: { node: string }) =>
      order.get(a.node)! - order.get(b.node)!;
    return {
      graph: { ...graph, nodes },
      report: {
        pass: 'drop-dropout',
        changed: changed.sort(byOrder),
        skipped: skipped.sort(byOrder),
        notes: [],
      },
    };
  },
};
