/**
 * The WASM backend: kernels in WebAssembly with SIMD128 (assembly/, built to dist/kiln.wasm).
 * `compile` checks the graph, refuses ops without a kernel (naming node and op), validates the
 * weights, binds one kernel per node, lays the constants out in a fresh memory and packs them,
 * and refuses a model whose buffers cannot fit in a wasm32 memory, naming the size it needs.
 */
import { DiagnosticError, checkGraph, error, validateWeights } from '@kiln/core';
import type {
  Backend,
  Capabilities,
  CompileOptions,
  Diagnostic,
  Graph,
  Session,
  Shape,
  Weights,
} from '@kiln/core';
import { concreteShapes } from './bind-inputs.js';
import { kernels as allKernels } from './kernels/index.js';
import type { BoundKernel, WasmKernel } from './kernels/types.js';
import { ALIGN, MAX_MEMORY, roundUp } from './layout.js';
import type { WasmModule, WasmSource } from './module.js';
import { instantiate, moduleLoader } from './module.js';
import { planLayout } from './plan.js';
import { WasmSession, memoryLimitError } from './session.js';

export interface WasmBackendOptions {
  /** The kernel module: bytes, a URL, or a loader. The Node entry defaults to the shipped file. */
  readonly wasm: WasmSource;
  /** Claim only these ops (a subset of the kernel table); the capability table follows. */
  readonly ops?: readonly string[];
}

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
  const loadModule = moduleLoader(options.wasm);
  return {
    name: 'wasm',
    capabilities,
    compile: (graph, weights, compileOptions = {}) =>
      compileWasm(graph, weights, compileOptions, kernels, capabilities, loadModule),
  };
}

function refuseUnclaimed(graph: Graph, capabilities: Capabilities): void {
  const refused: Diagnostic[] = graph.nodes
    .filter((n) => !capabilities.ops.has(n.op))
    .map((n) =>
      error(
        'backend/unsupported-op',
        `the wasm backend does not run op \`${n.op}\` (node \`${n.name}\`)`,
        n.span,
        { hint: `it runs ${[...capabilities.ops].map((o) => `\`${o}\``).join(', ')}` },
      ),
    );
  if (refused.length) throw new DiagnosticError(refused);
}

/**
 * The arena a run at batch 1 (and the compile-time `dims`) needs, or undefined when another
 * symbol is still open (a fully convolutional input): then the check waits for the first run.
 */
function arenaEstimate(
  graph: Graph,
  dims: Readonly<Record<string, number>>,
  bound: ReadonlyMap<string, BoundKernel>,
  base: number,
): number | undefined {
  const inputShapes = new Map<string, number[]>();
  for (const n of graph.nodes.filter((node) => node.op === 'input')) {
    const shape = (n.attrs['shape'] as Shape).map((d) =>
      typeof d === 'number' ? d : (dims[d] ?? (d === 'N' ? 1 : undefined)),
    );
    if (shape.some((d) => d === undefined)) return undefined;
    inputShapes.set(n.name, shape as number[]);
  }
  return planLayout(graph, concreteShapes(graph, inputShapes), bound, base).end;
}

async function compileWasm(
  graph: Graph,
  weights: Weights,
  options: CompileOptions,
  kernels: ReadonlyMap<string, WasmKernel>,
  capabilities: Capabilities,
  loadModule: () => Promise<WasmModule>,
): Promise<Session> {
  const { shapes, diagnostics } = checkGraph(graph);
  if (diagnostics.length) throw new DiagnosticError(diagnostics);
  refuseUnclaimed(graph, capabilities);
  const problems = validateWeights(graph, shapes, weights);
  if (problems.length) throw new DiagnosticError(problems);
  const bound = new Map<string, BoundKernel>();
  for (const node of graph.nodes) {
    if (node.op === 'input') continue;
    const param = (name: string) => weights.get(`${node.name}.${name}`)!.data;
    bound.set(node.name, kernels.get(node.op)!.bind(node, param));
  }
  const instance = await instantiate(await loadModule(), 0);
  // Constants sit right above the module's static data, each on its own cache line.
  let cursor = roundUp(instance.exports.heapBase(), ALIGN);
  let stageBytes = 0;
  const constants = new Map<string, number[]>();
  for (const [name, kernel] of bound) {
    const offsets = (kernel.constants ?? []).map((c) => {
      const at = cursor;
      cursor += roundUp(c.bytes, ALIGN);
      stageBytes = Math.max(stageBytes, (c.stage?.length ?? 0) * 4);
      return at;
    });
    constants.set(name, offsets);
  }
  const arenaBase = cursor;
  const dims = options.dims ?? {};
  const arenaEnd = arenaEstimate(graph, dims, bound, arenaBase) ?? arenaBase;
  const need = Math.max(arenaEnd, arenaBase + stageBytes);
  if (need > MAX_MEMORY) throw memoryLimitError(graph, need, 'at batch 1');
  const { exports, memory } = instance;
  memory.grow(Math.ceil(need / 65536) - memory.buffer.byteLength / 65536);
  // Stage each raw weight just above the constants (the arena is still empty), then pack it.
  for (const [name, kernel] of bound) {
    const offsets = constants.get(name)!;
    (kernel.constants ?? []).forEach((c, i) => {
      if (c.stage) new Float32Array(memory.buffer, arenaBase, c.stage.length).set(c.stage);
      c.write(exports, memory, offsets[i]!, arenaBase);
    });
  }
  return new WasmSession(graph, bound, constants, instance, arenaBase, dims);
}
