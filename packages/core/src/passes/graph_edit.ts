/**
 * Small graph-editing tools every pass shares: who reads a tensor, fresh node names, building a
 * node through the op schema (so attributes are normalised exactly as the DSL would), and
 * rewiring reads after a node is removed.
 */
import type { Tensor } from '../backend/types.js';
import type { AttrValue, Graph, Node } from '../ir/types.js';
import { resolveAttrs } from '../ops/attrs.js';
import { getOp } from '../ops/registry.js';

/** For every tensor, the nodes that read it (a node reading it twice is listed twice). */
export function readersOf(graph: Graph): Map<string, Node[]> {
  const readers = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    for (const name of node.inputs) {
      const list = readers.get(name);
      if (list) list.push(node);
      else readers.set(name, [node]);
    }
  }
  return readers;
}

/** Reads of a tensor, counting each appearance among the model's outputs as one more. */
export function useCount(graph: Graph, readers: ReadonlyMap<string, Node[]>, name: string): number {
  return (readers.get(name)?.length ?? 0) + graph.outputs.filter((o) => o === name).length;
}

/** Hands out node names not yet used in a graph: `base`, else `base2`, `base3`, ... */
export class NameSource {
  private readonly taken: Set<string>;

  constructor(graph: Graph) {
    this.taken = new Set(graph.nodes.map((n) => n.name));
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}${i}`;
    this.taken.add(name);
    return name;
  }
}

/**
 * Builds a node with attributes resolved by its op's schema. A rejected attribute here is a bug
 * in the pass that asked for it, so it throws rather than reporting to the user.
 */
export function buildNode(
  name: string,
  op: string,
  inputs: readonly string[],
  raw: Readonly<Record<string, AttrValue>>,
  from?: Pick<Node, 'span' | 'frozen'>,
): Node {
  const def = getOp(op);
  if (!def) throw new Error(`internal: pass asked for unknown op \`${op}\``);
  const given = new Map(Object.entries(raw).map(([k, value]) => [k, { value }]));
  const { attrs, diagnostics } = resolveAttrs(def, given, { node: name });
  if (diagnostics.length) {
    throw new Error(
      `internal: pass built an invalid ${op} \`${name}\`: ${diagnostics[0]!.message}`,
    );
  }
  return {
    name,
    op,
    inputs,
    attrs,
    ...(from?.frozen ? { frozen: true } : {}),
    ...(from?.span ? { span: from.span } : {}),
  };
}

/** Follows an alias chain to the tensor a removed node's readers must read instead. */
export function resolveAlias(alias: ReadonlyMap<string, string>, name: string): string {
  let current = name;
  for (let next = alias.get(current); next !== undefined; next = alias.get(current)) {
    current = next;
  }
  return current;
}

/** The node with its inputs read through `alias` (unchanged object when nothing moves). */
export function rewire(node: Node, alias: ReadonlyMap<string, string>): Node {
  const inputs = node.inputs.map((i) => resolveAlias(alias, i));
  return inputs.every((i, k) => i === node.inputs[k]) ? node : { ...node, inputs };
}

/** The same values under another shape; the element counts must agree. */
export function reshapeTensor(tensor: Tensor, shape: readonly number[], name: string): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== tensor.data.length) {
    throw new Error(
      `weight \`${name}\` has ${tensor.data.length} values; [${shape.join(', ')}] needs ${size}`,
    );
  }
  return { dtype: tensor.dtype, shape: [...shape], data: tensor.data };
}
