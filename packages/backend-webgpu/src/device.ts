/**
 * The device a backend runs on, opened from an injected `GPU` object (a browser's
 * `navigator.gpu`, or the `webgpu` package's in Node). The adapter's limits are read and asked
 * for in full (the defaults would cap a binding at 128 MiB where the adapter allows more), then
 * capped by the caller's `limits` (tests use that to stand for a smaller device). Loss and
 * uncaptured errors are recorded so runs can end with a clear error instead of hanging.
 */
import { DiagnosticError } from '@kiln/core';
import { deviceLost, noAdapter, runFailed } from './errors.js';
import { MapMode } from './flags.js';
import { PipelineCache } from './pipelines.js';
import type { DeviceShape } from './wgsl/builder.js';

/** The limits this backend plans with. */
export interface GpuLimits extends DeviceShape {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxStorageBuffersPerShaderStage: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly minUniformBufferOffsetAlignment: number;
}

/** Limits a caller may lower below the device's (never raise). */
export type LimitCaps = Partial<
  Pick<
    GpuLimits,
    | 'maxStorageBufferBindingSize'
    | 'maxBufferSize'
    | 'maxStorageBuffersPerShaderStage'
    | 'maxComputeWorkgroupsPerDimension'
  > & { readonly maxComputeInvocationsPerWorkgroup: number }
>;

export interface AdapterFacts {
  /** `vendor/architecture` (`google/swiftshader`), or the description when those are empty. */
  readonly name: string;
  readonly description: string;
  readonly fallback: boolean;
}

export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapter: AdapterFacts;
  readonly limits: GpuLimits;
  readonly pipelines: PipelineCache;
  /** Set once the device is lost; every later run fails with it. */
  lost: GPUDeviceLostInfo | undefined;
  /** Resolves when the device is lost. */
  readonly lostPromise: Promise<GPUDeviceLostInfo>;
  /** Called once with the loss, each; waits that must end on a loss register here. */
  readonly onLoss: Set<(info: GPUDeviceLostInfo) => void>;
  /** The last GPU error raised outside any error scope, if one was. */
  uncaptured: string | undefined;
}

/** The adapter limits this backend asks the device for. */
const REQUESTED = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupsPerDimension',
] as const;

/**
 * Invocations of the 1-D workgroups (elementwise kernels, reductions): 64 where the device
 * allows. SwiftShader runs a workgroup's invocations as coroutines, so a barrier in a workgroup
 * of 256 costs far more than four in workgroups of 64 (a per-channel sum ran 13x faster); on
 * GPUs 64 is one or two hardware waves.
 */
const WORKGROUP = 64;

function floorPow2(n: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, n)));
}

export function effectiveLimits(device: GPUSupportedLimits, caps: LimitCaps): GpuLimits {
  const cap = (name: keyof LimitCaps, value: number) => Math.min(value, caps[name] ?? value);
  const invocations = floorPow2(
    Math.min(
      WORKGROUP,
      cap('maxComputeInvocationsPerWorkgroup', device.maxComputeInvocationsPerWorkgroup),
      device.maxComputeWorkgroupSizeX,
    ),
  );
  return {
    invocations,
    workgroupBytes: device.maxComputeWorkgroupStorageSize,
    maxSizeX: device.maxComputeWorkgroupSizeX,
    maxSizeY: device.maxComputeWorkgroupSizeY,
    maxStorageBufferBindingSize: cap(
      'maxStorageBufferBindingSize',
      device.maxStorageBufferBindingSize,
    ),
    maxBufferSize: cap('maxBufferSize', device.maxBufferSize),
    maxStorageBuffersPerShaderStage: cap(
      'maxStorageBuffersPerShaderStage',
      device.maxStorageBuffersPerShaderStage,
    ),
    maxComputeWorkgroupsPerDimension: cap(
      'maxComputeWorkgroupsPerDimension',
      device.maxComputeWorkgroupsPerDimension,
    ),
    minUniformBufferOffsetAlignment: device.minUniformBufferOffsetAlignment,
  };
}

function adapterFacts(adapter: GPUAdapter): AdapterFacts {
  const info = adapter.info;
  const parts = [info.vendor, info.architecture].filter((s) => s);
  const legacy = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    name: parts.length ? parts.join('/') : info.description || 'unnamed adapter',
    description: info.description,
    fallback: Boolean(info.isFallbackAdapter ?? legacy),
  };
}

export interface OpenOptions {
  readonly powerPreference?: GPUPowerPreference;
  readonly limits?: LimitCaps;
}

export async function openDevice(gpu: GPU, options: OpenOptions = {}): Promise<GpuContext> {
  const adapter = await gpu.requestAdapter({
    powerPreference: options.powerPreference ?? 'high-performance',
  });
  if (!adapter) throw noAdapter('requestAdapter() returned null');
  const requiredLimits: Record<string, number> = {};
  for (const name of REQUESTED) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ requiredLimits });
  const limits = effectiveLimits(device.limits, options.limits ?? {});
  const ctx: GpuContext = {
    device,
    adapter: adapterFacts(adapter),
    limits,
    pipelines: new PipelineCache(device, limits.maxStorageBuffersPerShaderStage),
    lost: undefined,
    lostPromise: device.lost.then((info) => {
      ctx.lost = info;
      for (const f of ctx.onLoss) f(info);
      return info;
    }),
    onLoss: new Set(),
    uncaptured: undefined,
  };
  // Errors outside a run's error scopes would otherwise only be printed by the implementation.
  device.addEventListener('uncapturederror', (event) => {
    ctx.uncaptured = (event as GPUUncapturedErrorEvent).error.message;
  });
  return ctx;
}

/** Throws the device-lost diagnostic when the device is gone. */
export function ensureAlive(ctx: GpuContext): void {
  if (ctx.lost) throw deviceLost(ctx.lost.reason, ctx.lost.message);
}

/**
 * Runs `work` (encoding and submitting GPU commands) inside validation and out-of-memory error
 * scopes, and turns what they caught into one diagnostic naming the graph.
 */
export async function scoped<T>(ctx: GpuContext, graph: string, work: () => T): Promise<T> {
  const { device } = ctx;
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let result: T | undefined;
  let thrown: unknown;
  try {
    result = work();
  } catch (e) {
    thrown = e;
  }
  const validation = await device.popErrorScope().catch(() => null);
  const memory = await device.popErrorScope().catch(() => null);
  if (thrown !== undefined) throw thrown;
  ensureAlive(ctx);
  if (validation) throw runFailed('validation', validation.message, graph);
  if (memory) throw runFailed('out-of-memory', memory.message, graph);
  return result as T;
}

/** Maps a staging buffer for reading; a device lost meanwhile ends the wait with its reason. */
export async function mapForReading(
  ctx: GpuContext,
  buffer: GPUBuffer,
  graph: string,
): Promise<void> {
  let stop = (_info: GPUDeviceLostInfo): void => undefined;
  const lost = new Promise<never>((_, reject) => {
    stop = (info) => reject(deviceLost(info.reason, info.message));
  });
  ctx.onLoss.add(stop);
  try {
    await Promise.race([buffer.mapAsync(MapMode.READ), lost]);
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    // A mapping aborted by device loss may reject before the loss is reported.
    const info = await Promise.race([ctx.lostPromise, new Promise((r) => setTimeout(r, 100))]);
    if (info) {
      const { reason, message } = info as GPUDeviceLostInfo;
      throw deviceLost(reason, message);
    }
    const last = ctx.uncaptured ? `; the last uncaptured GPU error: ${ctx.uncaptured}` : '';
    throw runFailed('mapping', `${(e as Error).message}${last}`, graph);
  } finally {
    ctx.onLoss.delete(stop);
  }
}
