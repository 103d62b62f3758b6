/**
 * The cross-backend conformance harness. Each corpus case (fixtures/<op>.json, generated from
 * PyTorch by tooling/fixtures/gen_conformance.py) becomes a one-op graph: inputs `x0`, `x1`, ...
 * declared as [N, ...] so the batch binds at run time, and the op node `y`, whose weights are
 * `y.<param>`. Which cases run on a backend follows from `backend.capabilities.ops` alone.
 *
 * Tolerance: expected values are the float64 result rounded to float32, so a float32 backend
 * differs by its own rounding only. We accept |got - want| <= 1e-5 * max(1, |want|) per element,
 * i.e. relative error 1e-5 for large values and absolute 1e-5 near zero, where a relative bound
 * is meaningless (sums that cancel, softmax tails). That is ~80 float32 ulps: room for a float32
 * accumulation over the corpus's depths (at most 144 terms of magnitude ~1) but far below any
 * real mistake (a wrong tap, pad or divisor moves values by ~1e-1).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Attrs, Backend, Graph, Node, Tensor } from '../../packages/core/src/index.js';

export const TOLERANCE = 1e-5;

interface StoredTensor {
  readonly shape: number[];
  readonly data: number[];
}

export interface ConformanceCase {
  readonly name: string;
  readonly op: string;
  readonly attrs: Attrs;
  readonly inputs: readonly StoredTensor[];
  readonly weights: Readonly<Record<string, StoredTensor>>;
  readonly expected: StoredTensor;
}

export interface CaseResult {
  readonly name: string;
  readonly op: string;
  /** max over elements of |got - want| / max(1, |want|). */
  readonly maxError: number;
  readonly passed: boolean;
  readonly problem?: string;
}

export interface ConformanceReport {
  readonly results: readonly CaseResult[];
  /** Cases of ops the backend does not claim. */
  readonly skipped: readonly string[];
}

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Every case of the corpus, in file then case order. */
export function loadCorpus(): ConformanceCase[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap(
      (f) =>
        (JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as { cases: ConformanceCase[] }).cases,
    );
}

const tensor = (t: StoredTensor): Tensor => ({
  dtype: 'f32',
  shape: t.shape,
  data: new Float32Array(t.data),
});

/** The one-op graph, weights and inputs of a case. */
export function caseGraph(c: ConformanceCase): {
  graph: Graph;
  weights: Map<string, Tensor>;
  inputs: Record<string, Tensor>;
} {
  const inputNodes: Node[] = c.inputs.map((t, i) => ({
    name: `x${i}`,
    op: 'input',
    inputs: [],
    attrs: { shape: ['N', ...t.shape.slice(1)], dtype: 'f32' },
  }));
  const opNode: Node = {
    name: 'y',
    op: c.op,
    inputs: inputNodes.map((n) => n.name),
    attrs: c.attrs,
  };
  const weights = new Map(Object.entries(c.weights).map(([k, t]) => [`y.${k}`, tensor(t)]));
  const inputs = Object.fromEntries(c.inputs.map((t, i) => [`x${i}`, tensor(t)]));
  return {
    graph: { name: c.name, nodes: [...inputNodes, opNode], outputs: ['y'] },
    weights,
    inputs,
  };
}

/** Compiles and runs one case on `backend` and compares with the PyTorch result. */
export async function runCase(backend: Backend, c: ConformanceCase): Promise<CaseResult> {
  const { graph, weights, inputs } = caseGraph(c);
  const session = await backend.compile(graph, weights);
  const got = (await session.run(inputs))['y']!;
  const want = c.expected;
  const base = { name: c.name, op: c.op };
  if (got.shape.join() !== want.shape.join()) {
    const problem = `shape [${got.shape.join(', ')}], expected [${want.shape.join(', ')}]`;
    return { ...base, maxError: Infinity, passed: false, problem };
  }
  let maxError = 0;
  for (let i = 0; i < want.data.length; i++) {
    // The stored text is the shortest decimal that rounds to the float32; compare with that.
    const w = Math.fround(want.data[i]!);
    const e = Math.abs(got.data[i]! - w) / Math.max(1, Math.abs(w));
    // NaN fails: `e > maxError` is false for NaN, so test it explicitly.
    maxError = Number.isNaN(e) ? Infinity : Math.max(maxError, e);
  }
  return { ...base, maxError, passed: maxError <= TOLERANCE };
}

/** The cases `backend` claims, and the names of those it does not. */
export function casesFor(backend: Backend): { run: ConformanceCase[]; skipped: string[] } {
  const corpus = loadCorpus();
  const claims = (c: ConformanceCase) =>
    backend.capabilities.ops.has(c.op) && backend.capabilities.ops.has('input');
  return {
    run: corpus.filter(claims),
    skipped: corpus.filter((c) => !claims(c)).map((c) => c.name),
  };
}

/** Runs every claimed case of the corpus on `backend`. */
export async function runConformance(backend: Backend): Promise<ConformanceReport> {
  const { run, skipped } = casesFor(backend);
  const results: CaseResult[] = [];
  for (const c of run) results.push(await runCase(backend, c));
  return { results, skipped };
}
