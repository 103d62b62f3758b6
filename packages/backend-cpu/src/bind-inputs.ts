/**
 * Binds a run's input tensors to the graph: checks that each declared input is given once, as
 * f32, with the declared rank, matching every concrete dimension and binding each symbol
 * (`N`, `H`) consistently across inputs and with the compile-time `dims`; that the data length
 * fits the shape; and that every value is finite (NaN or ±Inf would only come out as NaN scores). Then re-runs core's shape inference with the
 * concrete input shapes substituted, so every tensor gets a concrete shape. Every problem is
 * reported at once, as one DiagnosticError.
 */
import { DiagnosticError, checkGraph, error, formatShape } from '@kiln/core';
import type { Diagnostic, Graph, Node, Shape, Tensor } from '@kiln/core';

export interface BoundShapes {
  /** The concrete shape of every tensor. */
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  /** A key for caching per-shape plans: the input shapes, in declaration order. */
  readonly key: string;
}

function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

function checkInput(node: Node, t: Tensor, symbols: Map<string, number>, out: Diagnostic[]): void {
  const declared = node.attrs['shape'] as Shape;
  const where = `input \`${node.name}\``;
  const got = formatShape(t.shape);
  const fail = (code: string, message: string): void => {
    out.push(error(code, message, node.span));
  };
  if (t.dtype !== 'f32') return fail('cpu/input-dtype', `${where} must be f32, got ${t.dtype}`);
  if (t.shape.length !== declared.length) {
    return fail('cpu/input-shape', `${where} expects shape ${formatShape(declared)}, got ${got}`);
  }
  for (let i = 0; i < declared.length; i++) {
    const want = declared[i]!;
    const have = t.shape[i]!;
    if (!Number.isSafeInteger(have) || have < 1) {
      return fail('cpu/input-shape', `${where} has an invalid dimension ${have} in ${got}`);
    }
    if (typeof want === 'number') {
      if (want !== have) {
        return fail(
          'cpu/input-shape',
          `${where} expects shape ${formatShape(declared)}, got ${got} (dimension ${i} is ${have}, expected ${want})`,
        );
      }
      continue;
    }
    const bound = symbols.get(want);
    if (bound !== undefined && bound !== have) {
      return fail(
        'cpu/input-shape',
        `${where} expects shape ${formatShape(declared)} with ${want} = ${bound}, got ${got}`,
      );
    }
    symbols.set(want, have);
  }
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== count) {
    return fail(
      'cpu/input-size',
      `${where} of shape ${got} needs ${count} values, got ${t.data.length}`,
    );
  }
  const bad = firstNonFinite(t.data);
  if (bad >= 0) {
    fail('cpu/input-non-finite', `${where} holds ${t.data[bad]} (first at flat index ${bad})`);
  }
}

export function bindInputs(
  graph: Graph,
  inputs: Readonly<Record<string, Tensor>>,
  dims: Readonly<Record<string, number>>,
): BoundShapes {
  const diagnostics: Diagnostic[] = [];
  const symbols = new Map(Object.entries(dims));
  const declared = graph.nodes.filter((n) => n.op === 'input');
  for (const node of declared) {
    const t = inputs[node.name];
    if (!t) {
      const shape = formatShape(node.attrs['shape'] as Shape);
      diagnostics.push(
        error('cpu/missing-input', `missing input \`${node.name}\` ${shape}`, node.span),
      );
    } else checkInput(node, t, symbols, diagnostics);
  }
  for (const name of Object.keys(inputs)) {
    if (!declared.some((n) => n.name === name)) {
      const known = declared.map((n) => `\`${n.name}\``).join(', ');
      diagnostics.push(
        error('cpu/unknown-input', `model \`${graph.name}\` has no input \`${name}\``, graph.span, {
          hint: `its inputs are ${known}`,
        }),
      );
    }
  }
  if (diagnostics.length) throw new DiagnosticError(diagnostics);
  const concrete: Graph = {
    ...graph,
    nodes: graph.nodes.map((n) =>
      n.op === 'input' ? { ...n, attrs: { ...n.attrs, shape: [...inputs[n.name]!.shape] } } : n,
    ),
  };
  const checked = checkGraph(concrete);
  if (checked.diagnostics.length) throw new DiagnosticError(checked.diagnostics);
  const shapes = new Map<string, readonly number[]>();
  for (const [name, shape] of checked.shapes) {
    if (!shape.every((d) => typeof d === 'number')) {
      throw new DiagnosticError([
        error('cpu/unbound-dim', `\`${name}\` has unbound dimensions ${formatShape(shape)}`),
      ]);
    }
    shapes.set(name, shape as number[]);
  }
  return { shapes, key: declared.map((n) => inputs[n.name]!.shape.join('x')).join('|') };
}
