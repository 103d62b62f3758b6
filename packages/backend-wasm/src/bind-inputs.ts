/**
 * Binds a run's input tensors to the graph: each declared input given once, f32, with the
 * declared rank, every concrete dimension matching and every symbol (`N`, `H`) bound the same way
 * across inputs and with the compile-time `dims`, the data length fitting the shape (every
 * problem at once, as one DiagnosticError; the session scans for NaN once the data is copied
 * in). For input shapes not seen before, core's shape inference then runs with them, so every
 * tensor gets a concrete shape.
 */
import { DiagnosticError, checkGraph, error, formatShape } from '@kiln/core';
import type { Diagnostic, Graph, Node, Shape, Tensor } from '@kiln/core';

export interface CheckedInputs {
  /** Each declared input's shape. */
  readonly inputShapes: ReadonlyMap<string, readonly number[]>;
  /** The input shapes in declaration order: the key of a cached layout. */
  readonly key: string;
}

function checkInput(node: Node, t: Tensor, symbols: Map<string, number>): string | undefined {
  const declared = node.attrs['shape'] as Shape;
  const where = `input \`${node.name}\``;
  const got = formatShape(t.shape);
  if (t.dtype !== 'f32') return `${where} must be f32, got ${t.dtype}`;
  if (t.shape.length !== declared.length) {
    return `${where} expects shape ${formatShape(declared)}, got ${got}`;
  }
  for (let i = 0; i < declared.length; i++) {
    const want = declared[i]!;
    const have = t.shape[i]!;
    if (!Number.isSafeInteger(have) || have < 1) return `${where} has dimension ${have} in ${got}`;
    if (typeof want === 'number') {
      if (want !== have) return `${where} expects shape ${formatShape(declared)}, got ${got}`;
      continue;
    }
    const bound = symbols.get(want);
    if (bound !== undefined && bound !== have) {
      return `${where} expects shape ${formatShape(declared)} with ${want} = ${bound}, got ${got}`;
    }
    symbols.set(want, have);
  }
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== count) return `${where} of shape ${got} needs ${count} values`;
  return undefined;
}

/** Every tensor's shape once the inputs have these shapes. */
export function concreteShapes(
  graph: Graph,
  inputShapes: ReadonlyMap<string, readonly number[]>,
): Map<string, readonly number[]> {
  const concrete: Graph = {
    ...graph,
    nodes: graph.nodes.map((n) =>
      n.op === 'input' ? { ...n, attrs: { ...n.attrs, shape: [...inputShapes.get(n.name)!] } } : n,
    ),
  };
  const checked = checkGraph(concrete);
  if (checked.diagnostics.length) throw new DiagnosticError(checked.diagnostics);
  const shapes = new Map<string, readonly number[]>();
  for (const [name, shape] of checked.shapes) {
    if (!shape.every((d) => typeof d === 'number')) {
      const message = `\`${name}\` has unbound dimensions ${formatShape(shape)}`;
      throw new DiagnosticError([error('wasm/unbound-dim', message)]);
    }
    shapes.set(name, shape as number[]);
  }
  return shapes;
}

/**
 * Checks a run's inputs against the declared ones. Shape inference over the whole graph
 * (`concreteShapes`) is left to the caller, who needs it only for input shapes it has not seen.
 */
export function checkInputs(
  graph: Graph,
  inputs: Readonly<Record<string, Tensor>>,
  dims: Readonly<Record<string, number>>,
): CheckedInputs {
  const problems: Diagnostic[] = [];
  const symbols = new Map(Object.entries(dims));
  const declared = graph.nodes.filter((n) => n.op === 'input');
  for (const node of declared) {
    const t = inputs[node.name];
    const problem = t
      ? checkInput(node, t, symbols)
      : `missing input \`${node.name}\` ${formatShape(node.attrs['shape'] as Shape)}`;
    if (problem) problems.push(error('wasm/input', problem, node.span));
  }
  for (const name of Object.keys(inputs)) {
    if (!declared.some((n) => n.name === name)) {
      const known = declared.map((n) => `\`${n.name}\``).join(', ');
      problems.push(
        error('wasm/input', `model \`${graph.name}\` has no input \`${name}\``, graph.span, {
          hint: `its inputs are ${known}`,
        }),
      );
    }
  }
  if (problems.length) throw new DiagnosticError(problems);
  return {
    inputShapes: new Map(declared.map((n) => [n.name, inputs[n.name]!.shape])),
    key: declared.map((n) => inputs[n.name]!.shape.join('x')).join('|'),
  };
}
