/**
 * A compiled WASM session: one instance of the kernel module over one linear memory holding,
 * from the bottom, the module's static data, the control block for worker threads, the
 * constants (packed weights, folded statistics) written at compile time, and the arena where
 * each run's tensors and scratch live. The arena layout is planned per set of input shapes and
 * cached, so a repeated run at one shape neither grows the memory nor allocates anything in it;
 * outputs are copied out, so callers never hold views of the session's memory. Runs of one
 * session are queued: they share the arena.
 */
import {
  DiagnosticError,
  concreteShapes,
  error,
  snapshotInputs,
  takeInputs,
  updatedWeights,
} from '@kiln/core';
import type { Graph, Node, Session, SessionInfo, Tensor, Weights } from '@kiln/core';
import { checkInputs } from './bind-inputs.js';
import type { BoundKernel, Call, Task } from './kernels/types.js';
import { sizeOf } from './kernels/types.js';
import { CTL_WORDS, MAX_MEMORY, POOL_MIN_MACS, formatBytes } from './layout.js';
import type { Instance } from './module.js';
import { ensureMemory } from './module.js';
import type { Layout } from './plan.js';
import { planLayout } from './plan.js';
import type { ThreadPool } from './pool.js';
import { writeTask } from './pool.js';

/** Layouts kept per session; a fully convolutional model fed many sizes evicts the oldest. */
const MAX_LAYOUTS = 8;

/** Binds a node's kernel to the given weights. */
export type Binder = (node: Node, weights: Weights) => BoundKernel;

interface Step {
  readonly node: string;
  readonly kernel: BoundKernel;
  readonly call: Call;
  readonly task: Task | undefined;
}

interface Prepared {
  readonly layout: Layout;
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  steps: readonly Step[];
}

/** Where the session's memory and threads stand; fixed at compile time. */
export interface SessionSetup {
  readonly instance: Instance;
  /** Byte offset of the control block. */
  readonly ctl: number;
  readonly arenaBase: number;
  readonly constants: ReadonlyMap<string, readonly number[]>;
  readonly pool: ThreadPool | undefined;
  /** Why the session runs on fewer threads than asked, if it does. */
  readonly threadsNote: string;
  readonly bind: Binder;
}

/**
 * Writes a kernel's constants at their offsets. Raw weights are staged at the arena's base,
 * which is free outside a run (compile reserved room for the largest stage), then packed.
 */
export function writeConstants(
  instance: Instance,
  arenaBase: number,
  kernel: BoundKernel,
  offsets: readonly number[],
): void {
  const { exports, memory } = instance;
  const stage = (values: Float32Array) => {
    new Float32Array(memory.buffer, arenaBase, values.length).set(values);
    return arenaBase;
  };
  (kernel.constants ?? []).forEach((c, i) => c.write(exports, memory, offsets[i]!, stage));
}

/** The refusal for a layout past wasm32's 4 GiB, naming the size it needs. */
export function memoryLimitError(graph: Graph, bytes: number, when: string): DiagnosticError {
  const message =
    `model \`${graph.name}\` needs ${formatBytes(bytes)} (${bytes} bytes) of wasm memory ` +
    `${when}; a wasm32 memory holds at most 4 GiB`;
  return new DiagnosticError([error('wasm/memory-limit', message, graph.span)]);
}

// A dropped session's workers would idle forever: stop them when the session is collected.
const pools = new FinalizationRegistry<ThreadPool>((pool) => pool.stop());

export class WasmSession implements Session {
  private readonly prepared = new Map<string, Prepared>();
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly graph: Graph,
    private readonly bound: Map<string, BoundKernel>,
    private readonly setup: SessionSetup,
    private readonly dims: Readonly<Record<string, number>>,
    private weights: Weights,
  ) {
    if (setup.pool) pools.register(this, setup.pool);
  }

  private get threads(): number {
    return this.setup.pool?.threads ?? 1;
  }

  /** Facts about this session; `memoryBytes` is the linear memory's size now. */
  get info(): SessionInfo {
    return {
      backend: 'wasm',
      details: {
        threads: this.threads,
        simd: true,
        gemm: 'packed 4x8 SIMD128',
        constantBytes: this.setup.arenaBase,
        memoryBytes: this.setup.instance.memory.buffer.byteLength,
        ...(this.setup.threadsNote ? { threadsNote: this.setup.threadsNote } : {}),
        ...(this.setup.pool?.broken ? { broken: this.setup.pool.broken.message } : {}),
        ...this.methods(),
      },
    };
  }

  /** How the convs compute, counted by method: `{ conv: "winograd F(4x4, 3x3): 3, ..." }`. */
  private methods(): Record<string, string> {
    const counts = new Map<string, Map<string, number>>();
    for (const name of this.bound.keys()) {
      const method = this.bound.get(name)!.method;
      if (!method) continue;
      const op = this.graph.nodes.find((n) => n.name === name)!.op;
      const byMethod = counts.get(op) ?? new Map<string, number>();
      byMethod.set(method, (byMethod.get(method) ?? 0) + 1);
      counts.set(op, byMethod);
    }
    return Object.fromEntries(
      [...counts].map(([op, m]) => [op, [...m].map(([k, n]) => `${k}: ${n}`).join(', ')]),
    );
  }

  private prepare(inputs: Readonly<Record<string, Tensor>>): Prepared {
    const { inputShapes, key } = checkInputs(this.graph, inputs, this.dims);
    const cached = this.prepared.get(key);
    if (cached) return cached;
    const shapes = concreteShapes(this.graph, inputShapes, 'wasm');
    const { arenaBase, instance, constants } = this.setup;
    const layout = planLayout(this.graph, shapes, this.bound, arenaBase, this.threads);
    if (layout.end > MAX_MEMORY) {
      throw memoryLimitError(this.graph, layout.end, `for inputs ${key}`);
    }
    if (!ensureMemory(instance.memory, layout.end)) {
      throw memoryLimitError(this.graph, layout.end, `for inputs ${key} (the engine refused)`);
    }
    const nodes = this.graph.nodes;
    const steps = layout.steps.map((s): Step => {
      const node = nodes[s.node]!;
      const kernel = this.bound.get(node.name)!;
      const call: Call = {
        inputs: s.inputs,
        inShapes: node.inputs.map((name) => shapes.get(name)!),
        out: s.out,
        outShape: shapes.get(node.name)!,
        constants: constants.get(node.name) ?? [],
        scratch: s.scratch,
        stride: s.stride,
      };
      return { node: node.name, kernel, call, task: kernel.task?.(call) };
    });
    const prepared = { layout, shapes, steps };
    if (this.prepared.size >= MAX_LAYOUTS) this.prepared.delete(this.prepared.keys().next().value!);
    this.prepared.set(key, prepared);
    return prepared;
  }

  /**
   * Re-binds the kernels that read an updated weight and rewrites their constants in place (the
   * same sizes, so the memory layout and every cached plan stay valid). Queued like a run: the
   * staging area is the arena's base.
   */
  updateWeights(update: Weights): Promise<void> {
    return this.enqueue(() => {
      this.refuseIfBroken();
      const { weights, nodes } = updatedWeights(this.graph, this.weights, update);
      const byName = new Map(this.graph.nodes.map((n) => [n.name, n]));
      const { instance, arenaBase, constants, bind } = this.setup;
      for (const name of nodes) {
        const kernel = bind(byName.get(name)!, weights);
        writeConstants(instance, arenaBase, kernel, constants.get(name) ?? []);
        this.bound.set(name, kernel);
      }
      this.weights = weights;
      const touched = new Set(nodes);
      for (const prepared of this.prepared.values()) {
        prepared.steps = prepared.steps.map((s) => {
          if (!touched.has(s.node)) return s;
          const kernel = this.bound.get(s.node)!;
          return { ...s, kernel, task: kernel.task?.(s.call) };
        });
      }
    });
  }

  run(inputs: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    try {
      this.refuseIfBroken();
      // Idle, the inputs go straight into the arena, which takes them as they are now; queued
      // behind other work, a copy taken now waits for its turn (the caller may reuse its arrays).
      if (this.pending === 0) {
        const prepared = this.load(takeInputs(inputs));
        return this.enqueue(() => this.execute(prepared));
      }
      const taken = snapshotInputs(inputs);
      return this.enqueue(() => this.execute(this.load(taken)));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * A worker that died leaves the control block in an unknown state (it may still write to the
   * arena if it was only stopped): the session refuses every later run and update, also those
   * small enough to run on the calling thread alone.
   */
  private refuseIfBroken(): void {
    const broken = this.setup.pool?.broken;
    if (broken) throw broken;
  }

  /** Runs `work` after everything queued before it; `pending` counts what has not ended. */
  private enqueue<T>(work: () => T | Promise<T>): Promise<T> {
    this.pending++;
    const result = this.queue.then(work).finally(() => this.pending--);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Plans the run for these inputs and copies them into the arena; refuses a non-finite one. */
  private load(inputs: Readonly<Record<string, Tensor>>): Prepared {
    const prepared = this.prepare(inputs);
    const { layout } = prepared;
    const { exports, memory } = this.setup.instance;
    // Growing an unshared memory detaches earlier views: take fresh ones per run.
    const heap = new Float32Array(memory.buffer);
    for (const node of this.graph.nodes) {
      if (node.op !== 'input') continue;
      const { data } = inputs[node.name]!;
      const at = layout.at.get(node.name)!;
      heap.set(data, at / 4);
      // As on the CPU backend: a NaN input is refused, not propagated.
      const bad = exports.firstNonFinite(at, data.length);
      if (bad >= 0) {
        const message = `input \`${node.name}\` holds ${data[bad]} (first at flat index ${bad})`;
        throw new DiagnosticError([error('wasm/input', message, node.span)]);
      }
    }
    return prepared;
  }

  /** Runs the steps over the loaded arena and copies the outputs out. */
  private async execute({ layout, shapes, steps }: Prepared): Promise<Record<string, Tensor>> {
    this.refuseIfBroken();
    const { instance, ctl, pool } = this.setup;
    const { exports, memory } = instance;
    const words = new Int32Array(memory.buffer, ctl, CTL_WORDS);
    for (const { kernel, call, task } of steps) {
      if (!task) kernel.run!(exports, call);
      else if (pool && task.macs >= POOL_MIN_MACS) await pool.run(exports, task);
      else {
        writeTask(words, task);
        exports.runTask(ctl, 0, 1);
      }
    }
    const out = new Float32Array(memory.buffer);
    const result: Record<string, Tensor> = {};
    for (const name of this.graph.outputs) {
      const shape = shapes.get(name)!;
      const from = layout.at.get(name)! / 4;
      result[name] = {
        dtype: 'f32',
        shape: [...shape],
        data: out.slice(from, from + sizeOf(shape)),
      };
    }
    return result;
  }
}
