/** The weight tensors a checked graph expects, by full name, with the node that owns each. */
import { getOp } from '../ops/registry.js';
import type { ParamSpec } from '../ops/schema.js';
import type { Graph, Node, Shape } from '../ir/types.js';

export interface ExpectedParam {
  /** Full name, `<node>.<param>`. */
  readonly name: string;
  readonly node: Node;
  readonly spec: ParamSpec;
}

/** Every parameter and buffer of `graph`; `shapes` comes from `checkGraph`. */
export function expectedParams(graph: Graph, shapes: ReadonlyMap<string, Shape>): ExpectedParam[] {
  const out: ExpectedParam[] = [];
  for (const node of graph.nodes) {
    const op = getOp(node.op);
    if (!op) continue;
    const inputs = node.inputs.map((n) => shapes.get(n));
    // A node whose inputs failed to check has no knowable parameters; the checker reported it.
    if (inputs.some((s) => s === undefined)) continue;
    for (const spec of op.params(inputs as Shape[], node.attrs)) {
      out.push({ name: `${node.name}.${spec.name}`, node, spec });
    }
  }
  return out;
}
