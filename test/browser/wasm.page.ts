/**
 * The WASM backend's browser test page (bundled by the harness; no Node built-ins). It compiles
 * a model from Kiln text, gives it seeded weights and inputs, runs it on the WASM backend (the
 * modules fetched from the page's server, or handed over as bytes) and on the CPU backend, and
 * returns the scaled error (test/wasm/compare.ts) with the session's info.
 */
import { cpuBackend } from '@kiln/backend-cpu';
import { createWasmBackend, browserWorkers } from '@kiln/backend-wasm/browser';
import type { SpawnWorker } from '@kiln/backend-wasm/browser';
import type { Graph, SessionInfo, Weights } from '@kiln/core';
import { hasErrors, runPasses } from '@kiln/core';
import { compile } from '@kiln/dsl';
import { randomWeights } from '../passes/random_weights.js';
import { runOn, scaledError, seededInputs } from '../wasm/compare.js';

export interface ModelCase {
  /** The model's Kiln text and the file name its diagnostics would carry. */
  readonly source: string;
  readonly file: string;
  readonly batch: number;
}

export interface CompareCase extends ModelCase {
  /** A pass to run before the WASM backend sees the model (the CPU runs it as written). */
  readonly pass?: string;
  /** How the module reaches the backend: its URL, or bytes the page fetched itself. */
  readonly load: 'url' | 'bytes';
  readonly threads?: number;
  /** Start workers from this script URL instead of the built-in blob: URL. */
  readonly workerScript?: string;
}

export interface CompareResult {
  /** The worst scaled error over the outputs. */
  readonly error: number;
  readonly info: SessionInfo;
  readonly crossOriginIsolated: boolean;
  /** Ops of the graph the WASM backend ran. */
  readonly ops: string[];
}

const MODULE = 'kiln.wasm';
const THREADED_MODULE = 'kiln-mt.wasm';

function compileModel({ source, file }: ModelCase): Graph {
  const { graph, diagnostics } = compile(source, file);
  if (hasErrors(diagnostics) || !graph) {
    throw new Error(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  }
  return graph;
}

async function bytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch ${url}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const isolated = () =>
  (globalThis as unknown as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;

export async function compareWithCpu(c: CompareCase): Promise<CompareResult> {
  const graph = compileModel(c);
  const weights = randomWeights(graph, 3);
  const inputs = seededInputs(graph, c.batch);
  const want = await runOn(cpuBackend, graph, weights, inputs);
  let ran: { graph: Graph; weights: Weights } = { graph, weights };
  if (c.pass) {
    const rewritten = runPasses(graph, [c.pass], weights);
    ran = { graph: rewritten.graph, weights: rewritten.weights! };
  }
  const backend = createWasmBackend({
    wasm: c.load === 'url' ? MODULE : await bytes(MODULE),
    wasmThreaded: c.load === 'url' ? THREADED_MODULE : await bytes(THREADED_MODULE),
    threads: c.threads ?? 1,
    // Without a script the entry's default spawner (a blob: URL) is the one under test.
    ...(c.workerScript ? { workers: browserWorkers({ script: c.workerScript }) } : {}),
  });
  const session = await backend.compile(ran.graph, ran.weights);
  const out = await session.run(inputs);
  // A pass may give [N, classes, 1, 1] where the model gave [N, classes]: compare the values.
  const errors = graph.outputs.map((name, i) => {
    const got = out[ran.graph.outputs[i]!]!;
    const reference = want[i]!;
    return got.data.length === reference.data.length
      ? scaledError({ ...got, shape: reference.shape }, reference)
      : Infinity;
  });
  return {
    error: Math.max(...errors),
    info: session.info,
    crossOriginIsolated: isolated(),
    ops: [...new Set(ran.graph.nodes.map((n) => n.op))],
  };
}

export interface DyingWorkerCase extends ModelCase {
  /** A worker script that fails (served by the test), or 'terminate' to end a worker's thread. */
  readonly worker: { readonly script: string } | 'terminate';
}

export interface DyingWorkerResult {
  readonly threads: number;
  /** How each of three runs ended: 'ok', or the error's message. */
  readonly runs: string[];
}

/** The page's own Web Workers, with a way to end the first one's thread from outside. */
async function killableWorkers(): Promise<{ spawn: SpawnWorker; kill: () => void }> {
  const support = await browserWorkers()();
  if (typeof support !== 'function') throw new Error('no web workers in this page');
  let kill = () => {};
  const spawn: SpawnWorker = (init) => {
    const handle = support(init);
    kill = () => handle.terminate();
    return handle;
  };
  return { spawn, kill: () => kill() };
}

/**
 * Runs a model three times on two threads whose worker fails (its script throws or cannot load)
 * or, with 'terminate', is ended after the first run; returns how each run ended.
 */
export async function runWithDyingWorker(c: DyingWorkerCase): Promise<DyingWorkerResult> {
  const graph = compileModel(c);
  const killable = c.worker === 'terminate' ? await killableWorkers() : undefined;
  const backend = createWasmBackend({
    wasm: MODULE,
    wasmThreaded: THREADED_MODULE,
    threads: 2,
    workers: killable
      ? async () => killable.spawn
      : browserWorkers({ script: (c.worker as { script: string }).script }),
  });
  const session = await backend.compile(graph, randomWeights(graph, 3));
  const inputs = seededInputs(graph, c.batch);
  const runs: string[] = [];
  for (let i = 0; i < 3; i++) {
    if (i === 1) killable?.kill();
    const ended = await session.run(inputs).then(
      () => 'ok',
      (e: Error) => e.message,
    );
    runs.push(ended);
  }
  return { threads: session.info.details['threads'] as number, runs };
}
