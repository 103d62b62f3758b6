/**
 * The input contract every backend enforces before a run: each declared input given once, as
 * f32, with the declared rank, every concrete dimension matching and every symbol (`N`, `H`)
 * bound the same way across inputs and with the compile-time `dims`, the data length fitting
 * the shape. It lives here so CPU, WASM and WebGPU refuse the same inputs with the same words;
 * each backend words the diagnostic code (the CPU backend per kind, `cpu/input-shape`). Values
 * must be finite (NaN or ±Inf would only come out as NaN scores); a backend that scans the data
 * anyway where it copies it (WASM) asks this check to skip that scan.
 */
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/span.js';
import { checkGraph } from '../ir/check.js';
import { formatShape } from '../ir/dims.js';
import type { Graph, Node, Shape } from '../ir/types.js';
import type { Tensor } from './types.js';

export type InputProblemKind =
  | 'missing-input'
  | 'unknown-input'
  | 'input-dtype'
  | 'input-shape'
  | 'input-size'
  | 'input-non-finite';

export interface InputProblem {
  readonly kind: InputProblemKind;
  readonly message: string;
  readonly span?: Span;
  readonly hint?: string;
}

export interface CheckedRunInputs {
  /** Every problem, in declaration order, then inputs the model does not have. */
  readonly problems: readonly InputProblem[];
  /** Each declared input's shape (complete only when there are no problems). */
  readonly inputShapes: ReadonlyMap<string, readonly number[]>;
  /** The input shapes in declaration order: a key for caching per-shape plans. */
  readonly key: string;
}

type Problem = [InputProblemKind, string] | undefined;

function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

function checkOne(node: Node, t: Tensor, symbols: Map<string, number>, values: boolean): Problem {
  const declared = node.attrs['shape'] as Shape;
  const where = `input \`${node.name}\``;
  if (typeof t !== 'object') return ['input-dtype', `${where} must be a tensor, got ${typeof t}`];
  if (!Array.isArray(t.shape)) {
    return [
      'input-shape',
      `${where} has no shape (an array of dimensions), got ${String(t.shape)}`,
    ];
  }
  const got = formatShape(t.shape);
  if (t.dtype !== 'f32') return ['input-dtype', `${where} must be f32, got ${t.dtype}`];
  // A backend copies the bytes (wasm memory, a GPU buffer): other element types would be
  // reinterpreted, not converted.
  if (!(t.data instanceof Float32Array)) {
    const kind = (t.data as unknown)?.constructor?.name ?? typeof t.data;
    return ['input-dtype', `${where} must hold its values in a Float32Array, got ${kind}`];
  }
  if (t.shape.length !== declared.length) {
    return ['input-shape', `${where} expects shape ${formatShape(declared)}, got ${got}`];
  }
  for (let i = 0; i < declared.length; i++) {
    const want = declared[i]!;
    const have = t.shape[i]!;
    if (!Number.isSafeInteger(have) || have < 1) {
      return ['input-shape', `${where} has an invalid dimension ${have} in ${got}`];
    }
    if (typeof want === 'number') {
      if (want === have) continue;
      return [
        'input-shape',
        `${where} expects shape ${formatShape(declared)}, got ${got} (dimension ${i} is ${have}, expected ${want})`,
      ];
    }
    const bound = symbols.get(want);
    if (bound !== undefined && bound !== have) {
      return [
        'input-shape',
        `${where} expects shape ${formatShape(declared)} with ${want} = ${bound}, got ${got}`,
      ];
    }
    symbols.set(want, have);
  }
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (isDetached(t.data)) {
    return ['input-size', `${where}'s Float32Array has a detached buffer (transferred elsewhere)`];
  }
  if (t.data.length !== count) {
    return ['input-size', `${where} of shape ${got} needs ${count} values, got ${t.data.length}`];
  }
  const bad = values ? firstNonFinite(t.data) : -1;
  if (bad >= 0) {
    return ['input-non-finite', `${where} holds ${t.data[bad]} (first at flat index ${bad})`];
  }
  return undefined;
}

/** Checks a run's inputs against the graph's declared ones; reports every problem. */
export function checkRunInputs(
  graph: Graph,
  inputs: Readonly<Record<string, Tensor>>,
  dims: Readonly<Record<string, number>>,
  options: { readonly scanValues?: boolean } = {},
): CheckedRunInputs {
  const problems: InputProblem[] = [];
  const symbols = new Map(Object.entries(dims));
  const declared = graph.nodes.filter((n) => n.op === 'input');
  if (typeof inputs !== 'object' || inputs === null) {
    const names = declared.map((n) => `\`${n.name}\``).join(', ');
    const message = `run takes an object of input tensors by name, got ${inputs === null ? 'null' : typeof inputs}`;
    problems.push({
      kind: 'missing-input',
      message,
      span: graph.span,
      hint: `its inputs are ${names}`,
    });
    return { problems, inputShapes: new Map(), key: '?' };
  }
  for (const node of declared) {
    const t = inputs[node.name];
    const problem: Problem = t
      ? checkOne(node, t, symbols, options.scanValues ?? true)
      : [
          'missing-input',
          `missing input \`${node.name}\` ${formatShape(node.attrs['shape'] as Shape)}`,
        ];
    if (problem) problems.push({ kind: problem[0], message: problem[1], span: node.span });
  }
  for (const name of Object.keys(inputs)) {
    if (declared.some((n) => n.name === name)) continue;
    const known = declared.map((n) => `\`${n.name}\``).join(', ');
    problems.push({
      kind: 'unknown-input',
      message: `model \`${graph.name}\` has no input \`${name}\``,
      span: graph.span,
      hint: `its inputs are ${known}`,
    });
  }
  const shapeOf = (name: string) => {
    const shape: unknown = inputs[name]?.shape;
    return Array.isArray(shape) ? (shape as number[]) : undefined;
  };
  const given = declared.filter((n) => shapeOf(n.name));
  return {
    problems,
    inputShapes: new Map(given.map((n) => [n.name, shapeOf(n.name)!])),
    key: declared.map((n) => shapeOf(n.name)?.join('x') ?? '?').join('|'),
  };
}

/** A problem as a diagnostic with the backend's code (`cpu/input-shape`, `wasm/input`). */
export function inputDiagnostic(code: string, p: InputProblem): Diagnostic {
  return error(code, p.message, p.span, p.hint ? { hint: p.hint } : {});
}

/**
 * Every tensor's concrete shape once the inputs have these shapes: core's shape inference with
 * the input declarations replaced. `backend` names the diagnostic code of a dimension no input
 * binds.
 */
export function concreteShapes(
  graph: Graph,
  inputShapes: ReadonlyMap<string, readonly number[]>,
  backend: string,
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
      throw new DiagnosticError([error(`${backend}/unbound-dim`, message)]);
    }
    shapes.set(name, shape as number[]);
  }
  return shapes;
}

/**
 * Checks `CompileOptions.dims` at compile time, the same way on every backend: each value a
 * positive integer within a dimension's range, each name a symbol some input declares (a typo
 * would otherwise be ignored and the dimension left open).
 */
export function checkCompileDims(
  graph: Graph,
  dims: Readonly<Record<string, unknown>>,
  backend: string,
): void {
  const symbols = new Set(
    graph.nodes
      .filter((n) => n.op === 'input')
      .flatMap((n) => (n.attrs['shape'] as Shape).filter((d) => typeof d === 'string')),
  );
  const problems: Diagnostic[] = [];
  for (const [name, value] of Object.entries(dims)) {
    if (!symbols.has(name)) {
      const known = [...symbols].map((s) => `\`${s}\``).join(', ') || 'none';
      problems.push(
        error(
          `${backend}/dims`,
          `dimension \`${name}\` is not a symbol of model \`${graph.name}\``,
          graph.span,
          {
            hint: `its inputs' symbols: ${known}`,
          },
        ),
      );
    } else if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < 1 ||
      value > 2 ** 31 - 1
    ) {
      problems.push(
        error(
          `${backend}/dims`,
          `dimension \`${name}\` must be an integer from 1 to 2^31-1, got ${JSON.stringify(value) ?? String(value)}`,
          graph.span,
        ),
      );
    }
  }
  if (problems.length) throw new DiagnosticError(problems);
}

/**
 * The inputs with each tensor's fields read once: the checks and the copy into a backend's
 * memory then see the same shape and array, even from objects whose getters answer differently
 * each time. Anything that is not an object of tensors comes back as it is, for
 * `checkRunInputs` to refuse by name.
 */
export function takeInputs(inputs: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
  if (!isRecord(inputs)) return inputs;
  const taken: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) {
    if (!isRecord(t)) {
      taken[name] = t;
      continue;
    }
    const shape: unknown = t.shape;
    const data = t.data;
    taken[name] = {
      dtype: t.dtype,
      shape: Array.isArray(shape) ? [...shape] : shape,
      data,
    } as Tensor;
  }
  return taken;
}

/**
 * The inputs as they are at the call: a backend that queues runs (wasm, webgpu) reads them
 * later, when a caller may already have refilled the same arrays for the next run. An array
 * that cannot be copied (a detached buffer) is left for `checkRunInputs` to refuse.
 */
export function snapshotInputs(
  inputs: Readonly<Record<string, Tensor>>,
): Readonly<Record<string, Tensor>> {
  const taken = takeInputs(inputs);
  if (!isRecord(taken)) return taken;
  for (const t of Object.values(taken)) {
    if (!isRecord(t) || !(t.data instanceof Float32Array) || isDetached(t.data)) continue;
    (t as { data: Float32Array }).data = t.data.slice();
  }
  return taken;
}

function isRecord(x: unknown): x is Record<string, Tensor> {
  return typeof x === 'object' && x !== null;
}

/** A typed array whose buffer was transferred (postMessage, structuredClone) reads as empty. */
function isDetached(data: Float32Array): boolean {
  return data.length === 0 && data.buffer.byteLength === 0 && data.byteOffset === 0;
}
