/**
 * The graph validator: checks names, ops, attributes, acyclicity and shapes, and infers the
 * shape of every tensor. It reports every problem it finds; a node whose inputs already failed is
 * skipped rather than reported again, so one mistake yields one diagnostic.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { checkNodeAttrs } from '../ops/attrs.js';
import { getOp, opNames } from '../ops/registry.js';
import { ShapeError } from '../ops/schema.js';
import { MAX_DIM, formatShape } from './dims.js';
import type { Graph, Node, Shape } from './types.js';

export interface CheckResult {
  /** Inferred shape of every tensor whose node checked cleanly. */
  readonly shapes: ReadonlyMap<string, Shape>;
  readonly diagnostics: readonly Diagnostic[];
}

function checkOverflow(node: Node, shape: Shape): Diagnostic | undefined {
  let elements = 1;
  for (const d of shape) {
    if (typeof d !== 'number') continue;
    if (!Number.isSafeInteger(d) || d > MAX_DIM || d < 0) {
      return error(
        'ir/overflow',
        `\`${node.name}\` has a dimension of ${d}, above the limit of ${MAX_DIM}`,
        node.span,
      );
    }
    elements *= d;
  }
  if (!Number.isSafeInteger(elements)) {
    return error(
      'ir/overflow',
      `\`${node.name}\` ${formatShape(shape)} has more elements than can be counted exactly`,
      node.span,
    );
  }
  return undefined;
}

/** Finds nodes on a cycle, following inputs; reports each cycle once. */
function findCycles(graph: Graph, byName: ReadonlyMap<string, Node>): Diagnostic[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const out: Diagnostic[] = [];
  const visit = (start: Node): void => {
    // Iterative depth-first search: deep graphs must not overflow the call stack.
    const stack: { node: Node; next: number }[] = [{ node: start, next: 0 }];
    state.set(start.name, 'visiting');
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const inputName = top.node.inputs[top.next++];
      if (inputName === undefined) {
        state.set(top.node.name, 'done');
        stack.pop();
        continue;
      }
      const dep = byName.get(inputName);
      if (!dep) continue;
      const seen = state.get(dep.name);
      if (seen === 'visiting') {
        const path = stack.slice(stack.findIndex((f) => f.node === dep)).map((f) => f.node.name);
        out.push(
          error(
            'ir/cycle',
            `cycle: ${[...path, dep.name].map((n) => `\`${n}\``).join(' -> ')}`,
            dep.span,
            {
              hint: 'a layer cannot read its own output, directly or through others',
            },
          ),
        );
      } else if (seen === undefined) {
        state.set(dep.name, 'visiting');
        stack.push({ node: dep, next: 0 });
      }
    }
  };
  for (const node of graph.nodes) if (!state.has(node.name)) visit(node);
  return out;
}

export function checkGraph(graph: Graph): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const byName = new Map<string, Node>();
  for (const node of graph.nodes) {
    const first = byName.get(node.name);
    if (first) {
      diagnostics.push(
        error('ir/duplicate-name', `\`${node.name}\` is defined twice`, node.span, {
          notes: [{ message: 'first defined here', ...(first.span ? { span: first.span } : {}) }],
        }),
      );
    } else {
      byName.set(node.name, node);
    }
  }
  const cycles = findCycles(graph, byName);
  diagnostics.push(...cycles);

  const shapes = new Map<string, Shape>();
  const failed = new Set<string>();
  const position = new Map(graph.nodes.map((n, i) => [n.name, i]));
  graph.nodes.forEach((node, index) => {
    const fail = (d: Diagnostic) => {
      diagnostics.push(d);
      failed.add(node.name);
    };
    const op = getOp(node.op);
    if (!op) {
      fail(
        error('ir/unknown-op', `unknown op \`${node.op}\``, node.span, {
          hint: didYouMean(node.op, opNames),
        }),
      );
      return;
    }
    const n = node.inputs.length;
    if (n < op.arity.min || n > op.arity.max) {
      const want =
        op.arity.min === op.arity.max ? `${op.arity.min}` : `${op.arity.min} to ${op.arity.max}`;
      fail(
        error(
          'ir/arity',
          `${op.name} \`${node.name}\` takes ${want} input(s), got ${n}`,
          node.span,
        ),
      );
      return;
    }
    const attrProblems = checkNodeAttrs(op, node.attrs, {
      node: node.name,
      ...(node.span ? { span: node.span } : {}),
    });
    if (attrProblems.length) {
      diagnostics.push(...attrProblems);
      failed.add(node.name);
      return;
    }
    const inputShapes: Shape[] = [];
    for (const name of node.inputs) {
      const at = position.get(name);
      if (at === undefined) {
        const hint = didYouMean(
          name,
          graph.nodes.slice(0, index).map((m) => m.name),
        );
        fail(
          error(
            'ir/undefined-tensor',
            `\`${name}\` is not defined`,
            node.span,
            hint ? { hint } : {},
          ),
        );
        return;
      }
      const shape = shapes.get(name);
      if (!shape || at >= index) {
        failed.add(node.name); // reported already: a failed input, a cycle, or a forward reference
        if (at >= index && !cycles.length) {
          diagnostics.push(
            error('ir/order', `\`${node.name}\` reads \`${name}\` before it is defined`, node.span),
          );
        }
        return;
      }
      inputShapes.push(shape);
    }
    try {
      const shape = op.inferShape(inputShapes, node.attrs);
      op.params(inputShapes, node.attrs);
      const overflow = checkOverflow(node, shape);
      if (overflow) fail(overflow);
      else shapes.set(node.name, shape);
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      fail(error('ir/shape', e.message, node.span, e.hint ? { hint: e.hint } : {}));
    }
  });

  if (graph.outputs.length === 0) {
    diagnostics.push(error('ir/no-output', `model \`${graph.name}\` has no output`, graph.span));
  }
  for (const out of graph.outputs) {
    if (!byName.has(out)) {
      diagnostics.push(
        error('ir/undefined-tensor', `output \`${out}\` is not defined`, graph.span),
      );
    }
  }
  if (!graph.nodes.some((n) => n.op === 'input')) {
    diagnostics.push(error('ir/no-input', `model \`${graph.name}\` has no input`, graph.span));
  }
  return { shapes, diagnostics };
}
