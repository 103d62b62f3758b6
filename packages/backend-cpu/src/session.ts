/**
 * A compiled CPU session. Kernels are bound (weights packed) once, at compile time; each new set
 * of input shapes gets a plan and its slot buffers, cached so repeated runs at one shape
 * allocate nothing but the returned output copies. Outputs are copied out, so callers never see
 * (or have to dispose) the session's buffers.
 */
import { takeInputs, updatedWeights } from '@kiln/core';
import type { Graph, Node, Session, SessionInfo, Tensor, Weights } from '@kiln/core';
import { bindInputs } from './bind-inputs.js';
import type { BoundKernel, Dims } from './kernels/types.js';
import { sizeOf } from './kernels/types.js';
import type { Plan } from './plan.js';
import { makePlan } from './plan.js';

/** Binds a node's kernel to the given weights (packing them where the kernel does). */
export type Binder = (node: Node, weights: Weights) => BoundKernel;

/** Plans kept per session; a fully convolutional model fed many sizes evicts the oldest. */
const MAX_PLANS = 8;

interface Prepared {
  readonly plan: Plan;
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  readonly slots: Float32Array[];
}

export class CpuSession implements Session {
  readonly info: SessionInfo;
  private readonly plans = new Map<string, Prepared>();

  constructor(
    private readonly graph: Graph,
    private readonly bound: Map<string, BoundKernel>,
    private readonly dims: Readonly<Record<string, number>>,
    private weights: Weights,
    private readonly bind: Binder,
  ) {
    this.info = { backend: 'cpu', details: { threads: 1, simd: false, gemm: 'packed 4x8' } };
  }

  private prepare(inputs: Readonly<Record<string, Tensor>>): Prepared {
    const { shapes, key } = bindInputs(this.graph, inputs, this.dims);
    const cached = this.plans.get(key);
    if (cached) return cached;
    const sizes = new Map([...shapes].map(([name, s]) => [name, sizeOf(s)]));
    const plan = makePlan(this.graph, sizes);
    const prepared = { plan, shapes, slots: plan.slotSizes.map((n) => new Float32Array(n)) };
    if (this.plans.size >= MAX_PLANS) this.plans.delete(this.plans.keys().next().value!);
    this.plans.set(key, prepared);
    return prepared;
  }

  updateWeights(update: Weights): Promise<void> {
    try {
      const { weights, nodes } = updatedWeights(this.graph, this.weights, update);
      // A kernel keeps packed copies of some weights and references to others: re-bind every
      // kernel that reads an updated weight, whichever it keeps.
      const byName = new Map(this.graph.nodes.map((n) => [n.name, n]));
      for (const name of nodes) this.bound.set(name, this.bind(byName.get(name)!, weights));
      this.weights = weights;
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  run(inputs: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    // Synchronous inside: no await between steps, so concurrent runs cannot share slots.
    try {
      // Each tensor's fields read once: the checks and the steps see the same arrays.
      return Promise.resolve(this.runNow(takeInputs(inputs)));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private runNow(inputs: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
    const { plan, shapes, slots } = this.prepare(inputs);
    const nodes = this.graph.nodes;
    const view = (slot: number, name: string): Float32Array =>
      slot >= 0
        ? slots[slot]!.subarray(0, sizeOf(shapes.get(name)!))
        : inputs[nodes[-1 - slot]!.name]!.data;
    for (const step of plan.steps) {
      const node = nodes[step.node]!;
      const ins = node.inputs.map((name, k) => view(step.inputs[k]!, name));
      const inShapes: Dims[] = node.inputs.map((name) => shapes.get(name)!);
      this.bound
        .get(node.name)!
        .run(ins, inShapes, view(step.out, node.name), shapes.get(node.name)!);
    }
    const result: Record<string, Tensor> = {};
    for (const name of this.graph.outputs) {
      const data = view(plan.where.get(name)!, name).slice();
      result[name] = { dtype: 'f32', shape: [...shapes.get(name)!], data };
    }
    return result;
  }
}
