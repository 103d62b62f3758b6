/**
 * The WASM backend: kernels in WebAssembly with SIMD128 (assembly/, built to dist/kiln.wasm).
 * `compile` checks the graph, refuses ops without a kernel (naming node and op), validates the
 * weights, binds one kernel per node, lays the constants out in a fresh memory and packs them,
 * and refuses a model whose buffers cannot fit in a wasm32 memory, naming the size it needs.
 * With `threads` > 1 a session gets the threaded module over a shared memory and a worker pool
 * (pool.ts), or runs on one thread and says why.
 */
import {
  DiagnosticError,
  checkCompileDims,
  checkGraph,
  concreteShapes,
  formatShape,
  refuseUnclaimed,
  validateWeights,
} from '@kiln/core';
import type {
  Backend,
  Capabilities,
  CompileOptions,
  Graph,
  Session,
  Shape,
  Weights,
} from '@kiln/core';
import { kernels as allKernels } from './kernels/index.js';
import type { BoundKernel, WasmKernel } from './kernels/types.js';
import { ALIGN, CTL_WORDS, MAX_MEMORY, roundUp } from './layout.js';
import type { Instance, WasmModule, WasmSource } from './module.js';
import { ensureMemory, instantiate, moduleLoader } from './module.js';
import { planLayout } from './plan.js';
import type { SpawnWorker, WorkerSupport } from './pool.js';
import { STALL_MS, ThreadPool } from './pool.js';
import type { Binder } from './session.js';
import { WasmSession, memoryLimitError, writeConstants } from './session.js';

export interface WasmBackendOptions {
  /** The kernel module: bytes, a URL, or a loader. The Node entry defaults to the shipped file. */
  readonly wasm: WasmSource;
  /** Claim only these ops (a subset of the kernel table); the capability table follows. */
  readonly ops?: readonly string[];
  /**
   * Threads per session (default 1): the caller's plus threads - 1 workers over shared memory,
   * splitting conv and dense. Where the platform cannot (no worker spawner, no
   * SharedArrayBuffer), sessions run on one thread and their info says why.
   */
  readonly threads?: number;
  /** The threaded module (shared memory), needed for threads > 1. */
  readonly wasmThreaded?: WasmSource;
  /**
   * Starts worker threads, or says why it cannot: the Node entry gives worker_threads, the
   * browser entry Web Workers (`browserWorkers`), which need a cross-origin isolated page.
   */
  readonly workers?: () => Promise<WorkerSupport>;
  /**
   * Winograd tiles for 3x3 stride-1 convs: 'auto' (default) takes F(4x4, 3x3) where the map's
   * size is known at compile time and it needs fewer products (within about 5e-6 of the largest
   * output), else F(2x2, 3x3); '2x2' keeps F(2x2, 3x3) everywhere, whose rounding stays within
   * about 5e-7, as training graphs always do.
   */
  readonly winograd?: 'auto' | '2x2';
  /**
   * Milliseconds a task on worker threads may go with no block claimed and no part finished
   * before the run fails and the session refuses later ones (default 30000): a worker stopped
   * or stuck ends the run instead of hanging it.
   */
  readonly stallMs?: number;
}

/** More workers than this only contend for cores; it also bounds the pool a typo could start. */
export const MAX_THREADS = 64;

export function createWasmBackend(options: WasmBackendOptions): Backend {
  const kernels = new Map<string, WasmKernel>(
    [...allKernels].filter(([op]) => !options.ops || options.ops.includes(op)),
  );
  const capabilities: Capabilities = {
    // `input` needs no kernel: the session copies the caller's tensor into its slot.
    ops: new Set(['input', ...kernels.keys()]),
    dtypes: new Set(['f32']),
    limits: { maxMemoryBytes: MAX_MEMORY },
  };
  const threads = options.threads ?? 1;
  // A caller's mistake here (0, 1.5, NaN, a string) must not quietly become one thread.
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new RangeError(
      `wasm backend: threads must be an integer from 1 to ${MAX_THREADS}, got ${String(threads)}`,
    );
  }
  const winograd = options.winograd ?? 'auto';
  if (winograd !== 'auto' && winograd !== '2x2') {
    throw new RangeError(`wasm backend: winograd must be 'auto' or '2x2', got ${String(winograd)}`);
  }
  const stallMs = options.stallMs ?? STALL_MS;
  if (!Number.isSafeInteger(stallMs) || stallMs < 1) {
    throw new RangeError(
      `wasm backend: stallMs must be a whole number of milliseconds from 1, got ${String(stallMs)}`,
    );
  }
  const runtime: Runtime = {
    kernels,
    capabilities,
    threads,
    winograd,
    stallMs,
    loadModule: moduleLoader(options.wasm),
    loadThreaded: options.wasmThreaded ? moduleLoader(options.wasmThreaded) : undefined,
    workers: options.workers,
  };
  return {
    name: 'wasm',
    capabilities,
    compile: (graph, weights, compileOptions = {}) =>
      compileWasm(graph, weights, compileOptions, runtime),
  };
}

interface Runtime {
  readonly kernels: ReadonlyMap<string, WasmKernel>;
  readonly capabilities: Capabilities;
  readonly threads: number;
  readonly winograd: 'auto' | '2x2';
  readonly stallMs: number;
  readonly loadModule: () => Promise<WasmModule>;
  readonly loadThreaded: (() => Promise<WasmModule>) | undefined;
  readonly workers: (() => Promise<WorkerSupport>) | undefined;
}

/** The module, memory and worker spawner a session gets, or why it has fewer threads. */
async function chooseThreads(
  runtime: Runtime,
): Promise<{ instance: Instance; spawn: SpawnWorker | undefined; note: string }> {
  const single = async (note: string) => ({
    instance: await instantiate(await runtime.loadModule(), 0),
    spawn: undefined,
    note,
  });
  if (runtime.threads === 1) return single('');
  const why = `asked for ${runtime.threads} threads, running on 1`;
  // The spawner speaks first: it knows the platform's reason (a page not cross-origin isolated
  // also lacks SharedArrayBuffer, but the headers are what the reader must fix).
  const spawn = await runtime.workers?.();
  if (spawn === undefined) return single(`${why}: no worker threads on this platform`);
  if (typeof spawn !== 'function') return single(`${why}: ${spawn.unavailable}`);
  if (typeof SharedArrayBuffer === 'undefined') {
    return single(`${why}: SharedArrayBuffer is not available here`);
  }
  if (!runtime.loadThreaded) {
    return single(`${why}: no threaded module was given (the wasmThreaded option)`);
  }
  return { instance: await instantiate(await runtime.loadThreaded(), 0, true), spawn, note: '' };
}

/**
 * The input shapes of a run at batch 1 with the compile-time `dims` bound, or undefined when
 * another symbol is still open (a fully convolutional input).
 */
function boundInputShapes(
  graph: Graph,
  dims: Readonly<Record<string, number>>,
): Map<string, number[]> | undefined {
  const inputShapes = new Map<string, number[]>();
  for (const n of graph.nodes.filter((node) => node.op === 'input')) {
    const shape = (n.attrs['shape'] as Shape).map((d) =>
      typeof d === 'number' ? d : (dims[d] ?? (d === 'N' ? 1 : undefined)),
    );
    if (shape.some((d) => d === undefined)) return undefined;
    inputShapes.set(n.name, shape as number[]);
  }
  return inputShapes;
}

/**
 * The arena a run at batch 1 (and the compile-time `dims`) needs, with those input shapes, or
 * undefined when another symbol is still open: then the check waits for the first run.
 */
function arenaEstimate(
  graph: Graph,
  inputShapes: ReadonlyMap<string, number[]> | undefined,
  bound: ReadonlyMap<string, BoundKernel>,
  base: number,
  threads: number,
): { end: number; inputs: string } | undefined {
  if (!inputShapes) return undefined;
  const { end } = planLayout(
    graph,
    concreteShapes(graph, inputShapes, 'wasm'),
    bound,
    base,
    threads,
  );
  const inputs = [...inputShapes].map(([name, shape]) => `\`${name}\` ${formatShape(shape)}`);
  return { end, inputs: inputs.join(', ') };
}

async function compileWasm(
  graph: Graph,
  weights: Weights,
  options: CompileOptions,
  runtime: Runtime,
): Promise<Session> {
  const { shapes, diagnostics } = checkGraph(graph);
  if (diagnostics.length) throw new DiagnosticError(diagnostics);
  checkCompileDims(graph, options.dims ?? {}, 'wasm');
  refuseUnclaimed(graph, 'wasm', runtime.capabilities);
  const problems = validateWeights(graph, shapes, weights);
  if (problems.length) throw new DiagnosticError(problems);
  const dims = options.dims ?? {};
  const inputShapes = boundInputShapes(graph, dims);
  // Kernels may pick a method by the output's size: the dims bound at compile time count.
  const known = inputShapes && concreteShapes(graph, inputShapes, 'wasm');
  const training = graph.nodes.some((n) => typeof n.attrs['of'] === 'string');
  const bind: Binder = (node, current) => {
    // A backward op reads the weights of the forward node its `of` attribute names.
    const owner = typeof node.attrs['of'] === 'string' ? node.attrs['of'] : node.name;
    const tensor = (name: string) => current.get(`${owner}.${name}`)!;
    const kernel = runtime.kernels.get(node.op)!;
    return kernel.bind(
      node,
      (name) => tensor(name).data,
      (name) => tensor(name).shape,
      {
        outShape: known?.get(node.name) ?? shapes.get(node.name)!,
        training,
        winograd: runtime.winograd,
      },
    );
  };
  const bound = new Map<string, BoundKernel>();
  for (const node of graph.nodes)
    if (node.op !== 'input') bound.set(node.name, bind(node, weights));
  // Above the module's static data: the control block, then the constants, each on its own
  // cache line, then the arena.
  const { instance, spawn, note } = await chooseThreads(runtime);
  const ctl = roundUp(instance.exports.heapBase(), ALIGN);
  let cursor = ctl + roundUp(CTL_WORDS * 4, ALIGN);
  let stageBytes = 0;
  const constants = new Map<string, number[]>();
  for (const [name, kernel] of bound) {
    const offsets = (kernel.constants ?? []).map((c) => {
      const at = cursor;
      cursor += roundUp(c.bytes, ALIGN);
      stageBytes = Math.max(stageBytes, c.stageBytes ?? 0);
      return at;
    });
    constants.set(name, offsets);
  }
  const arenaBase = cursor;
  const threads = spawn ? runtime.threads : 1;
  const estimate = arenaEstimate(graph, inputShapes, bound, arenaBase, threads);
  const need = Math.max(estimate?.end ?? arenaBase, arenaBase + stageBytes);
  if (need > MAX_MEMORY) {
    throw memoryLimitError(
      graph,
      need,
      estimate ? `for inputs ${estimate.inputs}` : 'for its weights',
    );
  }
  const { memory } = instance;
  if (!ensureMemory(memory, arenaBase + stageBytes)) {
    throw memoryLimitError(graph, need, 'for its weights (the engine refused)');
  }
  for (const [name, kernel] of bound)
    writeConstants(instance, arenaBase, kernel, constants.get(name)!);
  const pool = spawn
    ? ThreadPool.start(
        spawn,
        { module: instance.module, memory, ctl, parts: threads },
        runtime.stallMs,
      )
    : undefined;
  const setup = { instance, ctl, arenaBase, constants, pool, threadsNote: note, bind };
  return new WasmSession(graph, bound, setup, dims, weights);
}
