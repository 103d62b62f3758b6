/**
 * IR to Kiln text. Every node is printed with its name and, where it does not read the previous
 * statement, its inputs, so `compile(printGraph(g)).graph` equals `g`. Attributes equal to their
 * defaults are left out; an activation that alone consumes a layer and carries the derived name
 * `<layer>_<act>` is folded into the layer's statement as a flag.
 */
import type { AttrValue, Graph, Node, OpDef, RawAttr, TrainingConfig } from '@kiln/core';
import { activationNames, getOp, resolveAttrs } from '@kiln/core';
import { formatName, formatValue, valuesEqual } from './print-values.js';

function toRaw(chosen: ReadonlyMap<string, AttrValue>): Map<string, RawAttr> {
  return new Map([...chosen].map(([k, value]) => [k, { value }]));
}

function sameAttrs(a: Readonly<Record<string, AttrValue>>, b: Readonly<Record<string, AttrValue>>) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => valuesEqual(a[k], b[k]));
}

/** The fewest attributes, in schema order, whose resolution gives back `node.attrs`. */
function explicitAttrs(op: OpDef, attrs: Node['attrs']): Map<string, AttrValue> {
  const chosen = new Map<string, AttrValue>();
  for (const key of Object.keys(op.attrs)) {
    if (!(key in attrs)) continue;
    const resolved = resolveAttrs(op, toRaw(chosen), { node: '' }).attrs;
    if (!valuesEqual(resolved[key], attrs[key])) chosen.set(key, attrs[key]!);
  }
  if (sameAttrs(resolveAttrs(op, toRaw(chosen), { node: '' }).attrs, attrs)) return chosen;
  return new Map(Object.entries(attrs));
}

/** A value is safe positionally unless it would read as a flag or as a subtraction. */
function positionalSafe(v: AttrValue): boolean {
  if (typeof v === 'number') return v >= 0 && !Object.is(v, -0);
  return typeof v !== 'string' || !activationNames.includes(v);
}

function printArgs(node: Node): string[] {
  const op = getOp(node.op);
  if (!op) return Object.entries(node.attrs).map(([k, v]) => `${formatName(k)}=${formatValue(v)}`);
  const chosen = explicitAttrs(op, node.attrs);
  const out: string[] = [];
  for (const key of op.positional) {
    const v = chosen.get(key);
    if (v === undefined || !positionalSafe(v)) break;
    out.push(formatValue(v, op.attrs[key]?.kind));
    chosen.delete(key);
  }
  for (const [key, v] of chosen) out.push(`${key}=${formatValue(v, op.attrs[key]?.kind)}`);
  return out;
}

function defaultAttrs(op: string): Node['attrs'] | undefined {
  const def = getOp(op);
  return def ? resolveAttrs(def, new Map(), { node: '' }).attrs : undefined;
}

function printTraining(training: TrainingConfig): string[] {
  const lines = ['  train {'];
  for (const [key, entry] of Object.entries(training)) {
    const options = Object.entries(entry.options).map(
      ([k, v]) => ` ${formatName(k)}=${formatValue(v)}`,
    );
    lines.push(`    ${formatName(key)} ${formatValue(entry.value)}${options.join('')}`);
  }
  lines.push('  }');
  return lines;
}

export function printGraph(graph: Graph): string {
  const uses = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  const outputs = new Set(graph.outputs);
  const alias = new Map<string, string>();
  const ref = (tensor: string) => formatName(alias.get(tensor) ?? tensor);

  // `y` folds into the statement ending in `tail` (headed by `head`) as a flag.
  const folds = (head: Node, tail: Node, y: Node | undefined): y is Node =>
    y !== undefined &&
    activationNames.includes(y.op) &&
    y.inputs.length === 1 &&
    y.inputs[0] === tail.name &&
    y.name === `${tail.name}_${y.op}` &&
    !!y.frozen === !!head.frozen &&
    !outputs.has(tail.name) &&
    uses.get(tail.name) === 1 &&
    sameAttrs(y.attrs, defaultAttrs(y.op) ?? {});

  const lines = [`model ${formatName(graph.name)} {`];
  let prev: string | undefined;
  for (let i = 0; i < graph.nodes.length; i++) {
    const node = graph.nodes[i]!;
    if (node.op === 'input' && Array.isArray(node.attrs['shape'])) {
      const dims = formatValue(node.attrs['shape']);
      lines.push(
        `  input ${formatName(node.name)}: ${String(node.attrs['dtype'] ?? 'f32')}${dims}`,
      );
      prev = node.name;
      continue;
    }
    let tail = node;
    const flags: string[] = [];
    while (node.op !== 'input' && folds(node, tail, graph.nodes[i + 1])) {
      tail = graph.nodes[++i]!;
      flags.push(tail.op);
    }
    const readsPrev = node.inputs.length === 1 && node.inputs[0] === prev;
    const inputs = readsPrev ? '' : `(${node.inputs.map(ref).join(', ')})`;
    const words = [...printArgs(node), ...flags];
    const freeze = node.frozen ? 'freeze ' : '';
    lines.push(
      `  ${formatName(node.name)} = ${freeze}${node.op}${inputs}${words.map((w) => ` ${w}`).join('')}`,
    );
    if (tail !== node) alias.set(tail.name, node.name);
    prev = tail.name;
  }
  const defaultOutput = graph.outputs.length === 1 && graph.outputs[0] === prev;
  if (!defaultOutput && graph.outputs.length)
    lines.push(`  output ${graph.outputs.map(ref).join(', ')}`);
  if (graph.training) lines.push(...printTraining(graph.training));
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
