/**
 * The compile-time refusal every backend gives a graph with an op it has no kernel for: one
 * diagnostic per such node, naming node and op, with the ops the backend does run as the hint.
 * No backend falls back to another silently.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import type { Graph } from '../ir/types.js';
import type { Capabilities } from './types.js';

export function refuseUnclaimed(graph: Graph, backend: string, capabilities: Capabilities): void {
  const runs = [...capabilities.ops].map((o) => `\`${o}\``).join(', ');
  const refused: Diagnostic[] = graph.nodes
    .filter((n) => !capabilities.ops.has(n.op))
    .map((n) =>
      error(
        'backend/unsupported-op',
        `the ${backend} backend does not run op \`${n.op}\` (node \`${n.name}\`)`,
        n.span,
        { hint: `it runs ${runs}` },
      ),
    );
  if (refused.length) throw new DiagnosticError(refused);
}
