/** Builds IR nodes in tests through the same attribute resolution the DSL uses. */
import type { Graph, Node } from '../src/index.js';
import { getOp, resolveAttrs } from '../src/index.js';

export function node(
  name: string,
  op: string,
  inputs: string[],
  raw: Record<string, unknown> = {},
): Node {
  const def = getOp(op);
  if (!def) throw new Error(`test helper: unknown op ${op}`);
  const map = new Map(Object.entries(raw).map(([k, v]) => [k, { value: v as never }]));
  const { attrs, diagnostics } = resolveAttrs(def, map, { node: name });
  if (diagnostics.length) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return { name, op, inputs, attrs };
}

export function graph(nodes: Node[], outputs?: string[]): Graph {
  return { name: 'test', nodes, outputs: outputs ?? [nodes[nodes.length - 1]!.name] };
}
