/**
 * A compiled WASM session: one instance of the kernel module over one linear memory holding,
 * from the bottom, the module's static data, the constants (packed weights, folded statistics)
 * written at compile time, and the arena where each run's tensors and scratch live. The arena
 * layout is planned per set of input shapes and cached, so a repeated run at one shape neither
 * grows the memory nor allocates anything in it; outputs are copied out, so callers never hold
 * views of the session's memory.
 */
import { DiagnosticError, error } from '@kiln/core';
import type { Graph, Session, SessionInfo, Tensor } from '@kiln/core';
import { bindInputs } from './bind-inputs.js';
import type { BoundKernel, Call } from './kernels/types.js';
import { sizeOf } from './kernels/types.js';
import { MAX_MEMORY, formatBytes } from './layout.js';
import type { Instance } from './module.js';
import { ensureMemory } from './module.js';
import type { Layout } from './plan.js';
import { planLayout } from './plan.js';

/** Layouts kept per session; a fully convolutional model fed many sizes evicts the oldest. */
const MAX_LAYOUTS = 8;

interface Prepared {
  readonly layout: Layout;
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  readonly calls: readonly { readonly kernel: BoundKernel; readonly call: Call }[];
}

/** The refusal for a layout past wasm32's 4 GiB, naming the size it needs. */
export function memoryLimitError(graph: Graph, bytes: number, when: string): DiagnosticError {
  const message =
    `model \`${graph.name}\` needs ${formatBytes(bytes)} (${bytes} bytes) of wasm memory ` +
    `${when}; a wasm32 memory holds at most 4 GiB`;
  return new DiagnosticError([error('wasm/memory-limit', message, graph.span)]);
}

export class WasmSession implements Session {
  private readonly prepared = new Map<string, Prepared>();

  constructor(
    private readonly graph: Graph,
    private readonly bound: ReadonlyMap<string, BoundKernel>,
    private readonly constants: ReadonlyMap<string, readonly number[]>,
    private readonly instance: Instance,
    private readonly arenaBase: number,
    private readonly dims: Readonly<Record<string, number>>,
  ) {}

  /** Facts about this session; `memoryBytes` is the linear memory's size now. */
  get info(): SessionInfo {
    return {
      backend: 'wasm',
      details: {
        threads: 1,
        simd: true,
        gemm: 'packed 4x8 SIMD128',
        constantBytes: this.arenaBase,
        memoryBytes: this.instance.memory.buffer.byteLength,
        // There is no worker pool yet: every session runs on the calling thread.
        threadsNote: 'single thread: the worker pool is not built yet',
      },
    };
  }

  private prepare(inputs: Readonly<Record<string, Tensor>>): Prepared {
    const { shapes, key } = bindInputs(this.graph, inputs, this.dims);
    const cached = this.prepared.get(key);
    if (cached) return cached;
    const layout = planLayout(this.graph, shapes, this.bound, this.arenaBase);
    if (layout.end > MAX_MEMORY) {
      throw memoryLimitError(this.graph, layout.end, `for inputs ${key}`);
    }
    if (!ensureMemory(this.instance.memory, layout.end)) {
      throw memoryLimitError(this.graph, layout.end, `for inputs ${key} (the engine refused)`);
    }
    const nodes = this.graph.nodes;
    const calls = layout.steps.map((s) => {
      const node = nodes[s.node]!;
      const call: Call = {
        inputs: s.inputs,
        inShapes: node.inputs.map((name) => shapes.get(name)!),
        out: s.out,
        outShape: shapes.get(node.name)!,
        constants: this.constants.get(node.name) ?? [],
        scratch: s.scratch,
        tile: s.tile,
      };
      return { kernel: this.bound.get(node.name)!, call };
    });
    const prepared = { layout, shapes, calls };
    if (this.prepared.size >= MAX_LAYOUTS) this.prepared.delete(this.prepared.keys().next().value!);
    this.prepared.set(key, prepared);
    return prepared;
  }

  run(inputs: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    // Synchronous inside: no await between steps, so concurrent runs cannot share the arena.
    try {
      return Promise.resolve(this.runNow(inputs));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private runNow(inputs: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
    const { layout, shapes, calls } = this.prepare(inputs);
    const { exports, memory } = this.instance;
    // Growing the memory detaches earlier views: take a fresh one per run.
    const heap = new Float32Array(memory.buffer);
    for (const node of this.graph.nodes) {
      if (node.op === 'input') heap.set(inputs[node.name]!.data, layout.at.get(node.name)! / 4);
    }
    for (const { kernel, call } of calls) kernel.run(exports, call);
    const result: Record<string, Tensor> = {};
    for (const name of this.graph.outputs) {
      const shape = shapes.get(name)!;
      const from = layout.at.get(name)! / 4;
      result[name] = {
        dtype: 'f32',
        shape: [...shape],
        data: heap.slice(from, from + sizeOf(shape)),
      };
    }
    return result;
  }
}
