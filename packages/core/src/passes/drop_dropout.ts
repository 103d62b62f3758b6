/**
 * `drop-dropout` (inference): removes every `dropout` node.
 *
 * Pattern: any `dropout`. Readers of it read its input instead; a model output that named it
 * names its input instead (the report lists such renamed outputs).
 * Precondition: the rewritten model is used for inference (`options.training` is not set).
 * Why outputs stay equal: inverted dropout scales at training time, so at inference it is the
 * identity; removing an identity changes no value.
 */
import type { Node } from '../ir/types.js';
import { resolveAlias, rewire } from './graph_edit.js';
import type { Pass, PassChange, PassSkip } from './pass.js';

export const dropDropout: Pass = {
  name: 'drop-dropout',
  summary: 'remove dropout (the identity at inference)',
  changesResults: false,
  run(graph, _shapes, options) {
    const changed: PassChange[] = [];
    const skipped: PassSkip[] = [];
    const notes: string[] = [];
    const dropouts = graph.nodes.filter((n) => n.op === 'dropout');
    if (options.training) {
      for (const n of dropouts) {
        skipped.push({ node: n.name, why: 'dropout is kept for training (it acts only there)' });
      }
      return { graph, report: { pass: 'drop-dropout', changed, skipped, notes } };
    }
    const alias = new Map<string, string>();
    const nodes: Node[] = [];
    for (const node of graph.nodes) {
      if (node.op === 'dropout') {
        alias.set(node.name, node.inputs[0]!);
        changed.push({ node: node.name, what: `removed; readers now read \`${node.inputs[0]}\`` });
      } else {
        nodes.push(rewire(node, alias));
      }
    }
    const outputs = graph.outputs.map((o) => {
      const to = resolveAlias(alias, o);
      if (to !== o) notes.push(`output \`${o}\` is now \`${to}\``);
      return to;
    });
    return {
      graph: { ...graph, nodes, outputs },
      report: { pass: 'drop-dropout', changed, skipped, notes },
    };
  },
};
