/**
 * The tensors a session keeps on the device for its whole life: raw weights (shared by every
 * kernel that reads one, so a conv and its input gradient hold the weight once) and constants
 * derived from weights (batchnorm's folded scale and shift). Replacing weights rewrites the
 * affected buffers in place, so a training loop keeps one session and its pipelines.
 */
import { updatedWeights } from '@kiln/core';
import type { Graph, Tensor, Weights } from '@kiln/core';
import type { GpuLimits } from './device.js';
import { tooLarge } from './errors.js';
import { BufferUsage } from './flags.js';
import type { ConstantSpec } from './kernels/types.js';

interface Entry {
  readonly spec: ConstantSpec;
  readonly buffer: GPUBuffer;
}

export class ConstantStore {
  private readonly specs = new Map<string, ConstantSpec>();
  private readonly entries = new Map<string, Entry>();
  private weights: Map<string, Tensor>;

  constructor(
    private readonly device: GPUDevice,
    weights: Weights,
  ) {
    this.weights = new Map(weights);
  }

  /** Registers a kernel's constant; constants with one key are stored once. */
  add(spec: ConstantSpec): void {
    if (!this.specs.has(spec.key)) this.specs.set(spec.key, spec);
  }

  /** Bytes kept on the device. */
  get bytes(): number {
    let total = 0;
    for (const e of this.entries.values()) total += e.buffer.size;
    return total;
  }

  /** Computes every constant, refuses those past the binding limit, and uploads them. */
  upload(limits: GpuLimits): void {
    const values = new Map<string, Float32Array>();
    for (const [key, spec] of this.specs) {
      const data = spec.make(this.lookup);
      const bytes = Math.max(4, data.byteLength);
      for (const [limit, value] of [
        ['maxStorageBufferBindingSize', limits.maxStorageBufferBindingSize],
        ['maxBufferSize', limits.maxBufferSize],
      ] as const) {
        if (bytes > value) {
          const shape = this.weights.get(key)?.shape ?? [data.length];
          throw tooLarge(`constant \`${key}\``, shape, bytes, limit, value);
        }
      }
      values.set(key, data);
    }
    for (const [key, data] of values) {
      const buffer = this.device.createBuffer({
        label: key,
        size: Math.max(4, data.byteLength),
        usage: BufferUsage.STORAGE | BufferUsage.COPY_DST,
      });
      this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
      this.entries.set(key, { spec: this.specs.get(key)!, buffer });
    }
  }

  buffer(key: string): GPUBuffer {
    const e = this.entries.get(key);
    if (!e) throw new Error(`webgpu backend: constant ${key} was never uploaded`);
    return e.buffer;
  }

  /**
   * Replaces weights by name (same shapes: core's `updatedWeights` refuses anything else, naming
   * it, before anything changes) and rewrites every constant computed from them.
   */
  update(graph: Graph, update: Weights): void {
    const { weights } = updatedWeights(graph, this.weights, update);
    this.weights = new Map(weights);
    for (const e of this.entries.values()) {
      if (!e.spec.sources.some((s) => update.has(s))) continue;
      const data = e.spec.make(this.lookup);
      this.device.queue.writeBuffer(e.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    }
  }

  private readonly lookup = (name: string): Float32Array => {
    const t = this.weights.get(name);
    if (!t) throw new Error(`webgpu backend: no weight ${name}`);
    return t.data;
  };
}
