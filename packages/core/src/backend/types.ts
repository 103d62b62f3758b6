/**
 * The backend interface. A backend is a small object: a name, a capability table, and `compile`,
 * which turns a checked graph plus its weights into a session. Compile and run are async so that
 * WASM (instantiation, workers) and WebGPU (device, pipelines, readback) fit the same shape.
 * A session owns every buffer it allocates; users never dispose tensors.
 */
import type { DType, Graph } from '../ir/types.js';

/** A dense tensor with concrete shape, row-major (NCHW). */
export interface Tensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Weights by full name, `<node>.<param>` (`conv1.weight`), separate from the graph. */
export type Weights = ReadonlyMap<string, Tensor>;

export interface Capabilities {
  /** Ops this backend runs. A graph with any other op is refused at compile time. */
  readonly ops: ReadonlySet<string>;
  readonly dtypes: ReadonlySet<DType>;
  /** Limits a graph must respect (e.g. the largest buffer, in bytes). */
  readonly limits: Readonly<Record<string, number>>;
}

export interface SessionInfo {
  /** The backend that runs this session; never another one silently. */
  readonly backend: string;
  /** Free-form facts: threads, SIMD, adapter name, fallback adapter. */
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

export interface Session {
  readonly info: SessionInfo;
  /** Runs the model; inputs and outputs by tensor name. Shapes bind symbolic dimensions. */
  run(inputs: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>>;
  /**
   * Replaces some of the weights the session was compiled with, by name, with tensors of the
   * same shapes (`updatedWeights` in `backend/update.ts` checks that); runs started after the
   * returned promise resolves use them. Training compiles its graph once and updates the weights
   * after every optimizer step, so no backend re-plans or re-creates pipelines per step.
   * As with `compile`, the session may keep references to the arrays it is given: change them
   * only by handing them to `updateWeights` again, once the previous call has resolved.
   */
  updateWeights(weights: Weights): Promise<void>;
}

export interface CompileOptions {
  /** Bindings for symbolic dimensions other than the batch (`{ H: 384, W: 384 }`). */
  readonly dims?: Readonly<Record<string, number>>;
}

export interface Backend {
  readonly name: string;
  readonly capabilities: Capabilities;
  /**
   * A session for a checked graph and its weights. The session may keep references to the
   * weight arrays (packing copies of some, reading others in place): do not change them while
   * it lives, except through `Session.updateWeights`.
   */
  compile(graph: Graph, weights: Weights, options?: CompileOptions): Promise<Session>;
}
