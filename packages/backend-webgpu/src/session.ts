/**
 * A compiled WebGPU session. Per set of input shapes it prepares, once: every step's dispatches
 * (kernels' plans), the buffer layout (plan.ts), each dispatch's parameters in one uniform
 * buffer, the pipelines, and a staging buffer for the outputs. A run then writes the inputs,
 * encodes every dispatch into one compute pass and the output copies after it, submits once,
 * and maps the staging buffer: only the outputs come back. Runs are queued: they share buffers.
 */
import {
  DiagnosticError,
  checkRunInputs,
  concreteShapes,
  inputDiagnostic,
  snapshotInputs,
} from '@kiln/core';
import type { Graph, Session, SessionInfo, Tensor, Weights } from '@kiln/core';
import type { ConstantStore } from './constants.js';
import type { GpuContext } from './device.js';
import { ensureAlive, mapForReading, scoped } from './device.js';
import { BufferUsage } from './flags.js';
import type { BoundKernel, Dims, Dispatch, Operand, StepWork } from './kernels/types.js';
import { sizeOf } from './kernels/types.js';
import type { Pipeline } from './pipelines.js';
import type { RunLayout } from './plan.js';
import { checkSizes, planRun } from './plan.js';
import type { Schedule } from './schedule.js';
import { SlotPool } from './slots.js';
import { uploadParams } from './params.js';

/** Prepared shapes kept per session; a fully convolutional model fed many sizes evicts the oldest. */
const MAX_PREPARED = 8;

interface PreparedDispatch {
  readonly dispatch: Dispatch;
  readonly pipeline: Pipeline;
  readonly step: number;
  readonly uniformOffset: number;
  readonly uniformBytes: number;
}

interface Prepared {
  readonly shapes: ReadonlyMap<string, Dims>;
  readonly layout: RunLayout;
  readonly works: readonly StepWork[];
  readonly dispatches: readonly PreparedDispatch[];
  readonly uniform: GPUBuffer;
  readonly staging: GPUBuffer;
  /** Byte offset of each output in the staging buffer. */
  readonly outputAt: ReadonlyMap<string, number>;
  bindGroups: GPUBindGroup[];
  generation: number;
}

export class WebGpuSession implements Session {
  private readonly prepared = new Map<string, Prepared>();
  private readonly pool: SlotPool;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: GpuContext,
    private readonly graph: Graph,
    private readonly sched: Schedule,
    private readonly bound: ReadonlyMap<string, BoundKernel>,
    private readonly constants: ConstantStore,
    private readonly dims: Readonly<Record<string, number>>,
  ) {
    this.pool = new SlotPool(ctx.device);
  }

  get info(): SessionInfo {
    const { adapter, limits } = this.ctx;
    return {
      backend: 'webgpu',
      details: {
        adapter: adapter.name,
        adapterDescription: adapter.description,
        fallbackAdapter: adapter.fallback,
        dispatchesPerRun: this.sched.steps.length,
        constantBytes: this.constants.bytes,
        bufferBytes: this.pool.bytes,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        pipelines: this.ctx.pipelines.size,
      },
    };
  }

  run(inputs: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    try {
      const taken = snapshotInputs(inputs);
      return this.enqueue(() => this.runNow(taken));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Replaces weights by name (same shapes) by rewriting their device buffers: plans, bind groups
   * and pipelines stay. Runs queued before the update see the old weights.
   */
  updateWeights(weights: Weights): Promise<void> {
    return this.enqueue(async () => {
      ensureAlive(this.ctx);
      this.constants.update(this.graph, weights);
    });
  }

  /**
   * Plans a run at these input shapes without running it, refusing a tensor past the device's
   * limits (compile does this for batch 1). Pipelines compile at the first run of a shape: a
   * training loop never runs batch 1, and SwiftShader spends seconds per GEMM pipeline.
   */
  checkShapes(inputShapes: ReadonlyMap<string, readonly number[]>): void {
    this.plan(inputShapes);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async prepare(
    inputShapes: ReadonlyMap<string, readonly number[]>,
    key: string,
  ): Promise<Prepared> {
    const cached = this.prepared.get(key);
    if (cached) return cached;
    const { shapes, works, layout } = this.plan(inputShapes);
    const { limits, device } = this.ctx;
    const flat = works.flatMap((w, step) => w.dispatches.map((dispatch) => ({ dispatch, step })));
    const params = await scoped(this.ctx, this.graph.name, () =>
      uploadParams(
        device,
        `${this.graph.name}:params`,
        flat.map(({ dispatch }) => dispatch),
        limits.minUniformBufferOffsetAlignment,
      ),
    );
    const pipelines = await Promise.all(
      flat.map(({ dispatch }) => this.ctx.pipelines.get(dispatch.program)),
    );
    const outputAt = new Map<string, number>();
    let stagingBytes = 0;
    for (const name of this.graph.outputs) {
      outputAt.set(name, stagingBytes);
      stagingBytes += sizeOf(shapes.get(name)!) * 4;
    }
    const staging = await scoped(this.ctx, this.graph.name, () =>
      device.createBuffer({
        label: `${this.graph.name}:outputs`,
        size: Math.max(4, stagingBytes),
        usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
      }),
    );
    const prepared: Prepared = {
      shapes,
      layout,
      works,
      dispatches: flat.map(({ dispatch, step }, i) => ({
        dispatch,
        step,
        pipeline: pipelines[i]!,
        uniformOffset: params.offsets[i]!,
        uniformBytes: params.bytes[i]!,
      })),
      uniform: params.buffer,
      staging,
      outputAt,
      bindGroups: [],
      generation: -1,
    };
    if (this.prepared.size >= MAX_PREPARED) {
      const [oldest, old] = this.prepared.entries().next().value!;
      old.uniform.destroy();
      old.staging.destroy();
      this.prepared.delete(oldest);
    }
    this.prepared.set(key, prepared);
    return prepared;
  }

  /** Every step's work and the buffer layout at these input shapes, within the limits. */
  private plan(inputShapes: ReadonlyMap<string, readonly number[]>): {
    shapes: ReadonlyMap<string, Dims>;
    works: StepWork[];
    layout: RunLayout;
  } {
    const shapes = concreteShapes(this.graph, inputShapes, 'webgpu');
    const works = this.sched.steps.map((step) => {
      const node = this.graph.nodes[step.node]!;
      return this.bound.get(node.name)!.plan!({
        node,
        inShapes: node.inputs.map((n) => shapes.get(n)!),
        outShape: shapes.get(node.name)!,
        limits: this.ctx.limits,
        activation: step.activation,
      });
    });
    checkSizes(this.graph, this.sched, this.ctx.limits, shapes, works);
    return { shapes, works, layout: planRun(this.graph, this.sched, shapes, works) };
  }

  private bindGroups(p: Prepared): GPUBindGroup[] {
    if (p.generation === this.pool.generation) return p.bindGroups;
    const { device } = this.ctx;
    p.bindGroups = p.dispatches.map((d) => {
      const step = this.sched.steps[d.step]!;
      const node = this.graph.nodes[step.node]!;
      const kernel = this.bound.get(node.name)!;
      const tensor = (name: string): GPUBufferBinding => ({
        buffer: this.pool.buffer(p.layout.slotOf.get(this.sched.root.get(name)!)!),
        size: sizeOf(p.shapes.get(name)!) * 4,
      });
      const resolve = (op: Operand): GPUBufferBinding => {
        if ('input' in op) return tensor(node.inputs[op.input]!);
        if ('output' in op) return tensor(step.output);
        if ('constant' in op)
          return { buffer: this.constants.buffer(kernel.constants![op.constant]!.key) };
        const bytes = p.works[d.step]!.scratch![op.scratch]!;
        return { buffer: this.pool.buffer(p.layout.scratch[d.step]![op.scratch]!), size: bytes };
      };
      const entries: GPUBindGroupEntry[] = d.dispatch.operands.map((op, binding) => ({
        binding,
        resource: resolve(op),
      }));
      entries.push({
        binding: entries.length,
        resource: { buffer: p.uniform, offset: d.uniformOffset, size: d.uniformBytes },
      });
      return device.createBindGroup({ layout: d.pipeline.layout, entries });
    });
    p.generation = this.pool.generation;
    return p.bindGroups;
  }

  /** Writes the inputs, encodes every dispatch and the output copies, and submits once. */
  private submit(p: Prepared, inputs: Readonly<Record<string, Tensor>>): void {
    const { device } = this.ctx;
    this.pool.ensure(p.layout.sizes);
    const groups = this.bindGroups(p);
    for (const node of this.graph.nodes) {
      if (node.op !== 'input') continue;
      const { data } = inputs[node.name]!;
      const buffer = this.pool.buffer(p.layout.slotOf.get(node.name)!);
      device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    }
    const encoder = device.createCommandEncoder({ label: this.graph.name });
    if (p.dispatches.length) {
      const pass = encoder.beginComputePass();
      p.dispatches.forEach((d, i) => {
        pass.setPipeline(d.pipeline.pipeline);
        pass.setBindGroup(0, groups[i]!);
        pass.dispatchWorkgroups(...d.dispatch.workgroups);
      });
      pass.end();
    }
    for (const name of this.graph.outputs) {
      const slot = p.layout.slotOf.get(this.sched.root.get(name)!)!;
      const bytes = sizeOf(p.shapes.get(name)!) * 4;
      encoder.copyBufferToBuffer(
        this.pool.buffer(slot),
        0,
        p.staging,
        p.outputAt.get(name)!,
        bytes,
      );
    }
    device.queue.submit([encoder.finish()]);
  }

  private async runNow(inputs: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    ensureAlive(this.ctx);
    const { problems, inputShapes, key } = checkRunInputs(this.graph, inputs, this.dims);
    if (problems.length) {
      throw new DiagnosticError(problems.map((p) => inputDiagnostic(`webgpu/${p.kind}`, p)));
    }
    const p = await this.prepare(inputShapes, key);
    await scoped(this.ctx, this.graph.name, () => this.submit(p, inputs));
    await mapForReading(this.ctx, p.staging, this.graph.name);
    const all = new Float32Array(p.staging.getMappedRange());
    const result: Record<string, Tensor> = {};
    for (const name of this.graph.outputs) {
      const shape = p.shapes.get(name)!;
      const from = p.outputAt.get(name)! / 4;
      result[name] = {
        dtype: 'f32',
        shape: [...shape],
        data: all.slice(from, from + sizeOf(shape)),
      };
    }
    p.staging.unmap();
    return result;
  }
}
