/**
 * The WebGPU backend: WGSL compute kernels (kernels/, one file per op), behind the same Backend
 * interface as the others. The GPU object is injected; the device is opened at the first
 * compile and shared by the backend's sessions (and with it the pipeline cache), and opened
 * again after a loss. `compile` checks the graph, refuses ops without a kernel (naming node and
 * op), validates the weights, binds one kernel per node, uploads the constants, and, when every
 * dimension but the batch is known, plans batch 1: that refuses a tensor past the device's
 * binding limit before any run.
 */
import {
  DiagnosticError,
  checkCompileDims,
  checkGraph,
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
import { ConstantStore } from './constants.js';
import type { GpuContext, LimitCaps } from './device.js';
import { openDevice, scoped } from './device.js';
import { kernels as allKernels } from './kernels/index.js';
import type { BindContext, BoundKernel, GpuKernel } from './kernels/types.js';
import { schedule } from './schedule.js';
import { WebGpuSession } from './session.js';

export interface WebGpuBackendOptions {
  /** The WebGPU entry point: `navigator.gpu`, or `create([])` of Node's `webgpu` package. */
  readonly gpu: GPU | (() => GPU | Promise<GPU>);
  /** Claim only these ops (a subset of the kernel table); the capability table follows. */
  readonly ops?: readonly string[];
  /** Plan with limits below the device's (never above): a stand-in for a smaller device. */
  readonly limits?: LimitCaps;
  readonly powerPreference?: GPUPowerPreference;
}

const LIMIT_NAMES = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
];
/** A conv binds its input, weight, bias and output: no kernel runs on fewer storage buffers. */
const MIN_STORAGE_BUFFERS = 4;

/** A caller's mistake in the options is refused here, not discovered as a hang or a GPU error. */
function checkOptions(options: WebGpuBackendOptions, known: ReadonlySet<string>): void {
  const gpu = options.gpu as unknown;
  if (typeof gpu !== 'function' && typeof (gpu as GPU | null)?.requestAdapter !== 'function') {
    throw new TypeError(
      'webgpu backend: `gpu` must be a GPU object (navigator.gpu) or a function returning one',
    );
  }
  if (options.ops !== undefined) {
    if (!Array.isArray(options.ops))
      throw new TypeError('webgpu backend: `ops` must be an array of op names');
    const unknown = options.ops.filter((op) => !known.has(op));
    if (unknown.length)
      throw new RangeError(
        `webgpu backend: no kernel for ops ${unknown.map((o) => `\`${o}\``).join(', ')}`,
      );
  }
  for (const [name, value] of Object.entries(options.limits ?? {})) {
    if (!LIMIT_NAMES.includes(name)) {
      throw new RangeError(
        `webgpu backend: unknown limit \`${name}\`; known: ${LIMIT_NAMES.join(', ')}`,
      );
    }
    const least = name === 'maxStorageBuffersPerShaderStage' ? MIN_STORAGE_BUFFERS : 1;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < least) {
      throw new RangeError(
        `webgpu backend: limit \`${name}\` must be an integer of at least ${least}, got ${String(value)}`,
      );
    }
  }
  const preference = options.powerPreference;
  if (preference !== undefined && preference !== 'low-power' && preference !== 'high-performance') {
    throw new RangeError(
      `webgpu backend: powerPreference must be 'low-power' or 'high-performance', got ${String(preference)}`,
    );
  }
}

export function createWebGpuBackend(options: WebGpuBackendOptions): Backend {
  checkOptions(options, new Set(allKernels.keys()));
  const kernels = new Map<string, GpuKernel>(
    [...allKernels].filter(([op]) => !options.ops || options.ops.includes(op)),
  );
  const capabilities: Capabilities = {
    // `input` needs no kernel: the session writes the caller's tensor into its buffer.
    ops: new Set(['input', ...kernels.keys()]),
    dtypes: new Set(['f32']),
    // The device's own limits are known only once it is open; sessions check against those.
    limits: {},
  };
  let opening: Promise<GpuContext> | undefined;
  const context = async (): Promise<GpuContext> => {
    const current = opening ? await opening.catch(() => undefined) : undefined;
    if (current && !current.lost) return current;
    opening = (async () => {
      const gpu = typeof options.gpu === 'function' ? await options.gpu() : options.gpu;
      return openDevice(gpu, {
        ...(options.limits ? { limits: options.limits } : {}),
        ...(options.powerPreference ? { powerPreference: options.powerPreference } : {}),
      });
    })();
    return opening;
  };
  return {
    name: 'webgpu',
    capabilities,
    compile: (graph, weights, compileOptions = {}) =>
      compileWebGpu(graph, weights, compileOptions, kernels, capabilities, context),
  };
}

/** Input shapes at batch 1 and the compile-time dims, or undefined while another is open. */
function batchOneShapes(
  graph: Graph,
  dims: Readonly<Record<string, number>>,
): Map<string, number[]> | undefined {
  const shapes = new Map<string, number[]>();
  for (const n of graph.nodes.filter((node) => node.op === 'input')) {
    const shape = (n.attrs['shape'] as Shape).map((d) =>
      typeof d === 'number' ? d : (dims[d] ?? (d === 'N' ? 1 : undefined)),
    );
    if (shape.some((d) => d === undefined)) return undefined;
    shapes.set(n.name, shape as number[]);
  }
  return shapes;
}

async function compileWebGpu(
  graph: Graph,
  weights: Weights,
  options: CompileOptions,
  kernels: ReadonlyMap<string, GpuKernel>,
  capabilities: Capabilities,
  context: () => Promise<GpuContext>,
): Promise<Session> {
  const { shapes, diagnostics } = checkGraph(graph);
  if (diagnostics.length) throw new DiagnosticError(diagnostics);
  checkCompileDims(graph, options.dims ?? {}, 'webgpu');
  refuseUnclaimed(graph, 'webgpu', capabilities);
  const problems = validateWeights(graph, shapes, weights);
  if (problems.length) throw new DiagnosticError(problems);
  const ctx = await context();
  const constants = new ConstantStore(ctx.device, weights);
  const bound = new Map<string, BoundKernel>();
  for (const node of graph.nodes) {
    if (node.op === 'input') continue;
    // A backward op reads the weights of the forward node its `of` attribute names.
    const owner = typeof node.attrs['of'] === 'string' ? node.attrs['of'] : node.name;
    const bind: BindContext = {
      weight: (name) => {
        const full = `${owner}.${name}`;
        return { key: full, sources: [full], make: (w) => w(full) };
      },
      derived: (what, names, make) => {
        const sources = names.map((n) => `${owner}.${n}`);
        return {
          key: `${owner}:${what}`,
          sources,
          make: (w) => make((local) => w(`${owner}.${local}`)),
        };
      },
    };
    const kernel = kernels.get(node.op)!.bind(node, bind);
    for (const spec of kernel.constants ?? []) constants.add(spec);
    bound.set(node.name, kernel);
  }
  await scoped(ctx, graph.name, () => constants.upload(ctx.limits));
  const dims = options.dims ?? {};
  const session = new WebGpuSession(ctx, graph, schedule(graph, bound), bound, constants, dims);
  const first = batchOneShapes(graph, dims);
  if (first) session.checkShapes(first);
  return session;
}
