/**
 * The CPU backend: the reference implementation every other backend is tested against. Plain
 * TypeScript over Float32Array, one thread. `compile` checks the graph, refuses ops without a
 * kernel (naming node and op), validates the weights, and binds one kernel per node.
 */
import {
  DiagnosticError,
  checkCompileDims,
  checkGraph,
  refuseUnclaimed,
  validateWeights,
} from '@kiln/core';
import type { Backend, Capabilities, CompileOptions, Graph, Session, Weights } from '@kiln/core';
import { kernels as allKernels } from './kernels/index.js';
import type { BoundKernel, Kernel } from './kernels/types.js';
import type { Binder } from './session.js';
import { CpuSession } from './session.js';

export interface CpuBackendOptions {
  /**
   * Run only these ops (a subset of the kernel table). For tests and for mimicking a narrower
   * backend; the capability table follows.
   */
  readonly ops?: readonly string[];
}

export function createCpuBackend(options: CpuBackendOptions = {}): Backend {
  const kernels = new Map<string, Kernel>(
    [...allKernels].filter(([op]) => !options.ops || options.ops.includes(op)),
  );
  const capabilities: Capabilities = {
    // `input` needs no kernel: the session reads the caller's tensor in place.
    ops: new Set(['input', ...kernels.keys()]),
    dtypes: new Set(['f32']),
    // Float32Array length limit in V8 is 2^32 - 1 elements on 64-bit; stay well under memory.
    limits: { maxBufferBytes: 2 ** 31 },
  };
  return {
    name: 'cpu',
    capabilities,
    compile(graph: Graph, weights: Weights, compileOptions: CompileOptions = {}): Promise<Session> {
      try {
        return Promise.resolve(compileNow(graph, weights, compileOptions, kernels, capabilities));
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
}

function compileNow(
  graph: Graph,
  weights: Weights,
  options: CompileOptions,
  kernels: ReadonlyMap<string, Kernel>,
  capabilities: Capabilities,
): Session {
  const { shapes, diagnostics } = checkGraph(graph);
  if (diagnostics.length) throw new DiagnosticError(diagnostics);
  checkCompileDims(graph, options.dims ?? {}, 'cpu');
  refuseUnclaimed(graph, 'cpu', capabilities);
  const problems = validateWeights(graph, shapes, weights);
  if (problems.length) throw new DiagnosticError(problems);
  const bind: Binder = (node, current) => {
    // A backward op reads the weights of the forward node its `of` attribute names.
    const owner = typeof node.attrs['of'] === 'string' ? node.attrs['of'] : node.name;
    const param = (name: string) => current.get(`${owner}.${name}`)!.data;
    return kernels.get(node.op)!.bind(node, param);
  };
  const bound = new Map<string, BoundKernel>();
  for (const node of graph.nodes)
    if (node.op !== 'input') bound.set(node.name, bind(node, weights));
  return new CpuSession(graph, bound, options.dims ?? {}, weights, bind);
}

/** The CPU backend with every kernel. */
export const cpuBackend: Backend = createCpuBackend();
