/**
 * The WebGPU kernel interface. A kernel is bound once per node at compile time and says which
 * constants it keeps on the device (weights, folded statistics). For each set of concrete shapes
 * the session asks it for its work: a list of dispatches, each a program (cached by key) with
 * its operands, parameter values and workgroup count, plus the scratch buffers they share.
 * Kernels never touch the device: the session allocates, binds and encodes.
 */
import type { Node } from '@kiln/core';
import type { GpuLimits } from '../device.js';
import type { Activation } from '../wgsl/activation.js';
import type { Program } from '../wgsl/program.js';

export type Dims = readonly number[];

/** What one storage binding of a dispatch points at. */
export type Operand =
  | { readonly input: number }
  | { readonly output: true }
  | { readonly constant: number }
  | { readonly scratch: number };

export const output: Operand = { output: true };
export const input = (index: number): Operand => ({ input: index });
export const constant = (index: number): Operand => ({ constant: index });
export const scratch = (index: number): Operand => ({ scratch: index });

export interface Dispatch {
  readonly program: Program;
  /** One per storage binding of the program, in binding order. */
  readonly operands: readonly Operand[];
  /** The shape of each tensor the program declares, by its name in the shader. */
  readonly shapes: Readonly<Record<string, Dims>>;
  readonly scalars?: Readonly<Record<string, number>>;
  readonly workgroups: readonly [number, number, number];
}

export interface StepCall {
  readonly node: Node;
  readonly inShapes: readonly Dims[];
  readonly outShape: Dims;
  readonly limits: GpuLimits;
  /** An activation fused into what the kernel stores (only for kernels that accept one). */
  readonly activation: Activation;
}

export interface StepWork {
  readonly dispatches: readonly Dispatch[];
  /** Bytes of each scratch buffer the dispatches use; live during this step only. */
  readonly scratch?: readonly number[];
}

/** A tensor a session keeps on the device for its whole life. */
export interface ConstantSpec {
  /** Unique in a session: a raw weight's full name, or `<node>:<what>` for a derived one. */
  readonly key: string;
  /** Weights (full names) it is computed from: replacing one recomputes it. */
  readonly sources: readonly string[];
  /** Its values, from the session's current weights. */
  make(weight: (name: string) => Float32Array): Float32Array;
}

export interface BoundKernel {
  readonly constants?: readonly ConstantSpec[];
  /** No work: the output is input 0's values relabelled (flatten, reshape, dropout). */
  readonly alias?: boolean;
  /** Whether an activation that follows may be fused into what this kernel stores. */
  readonly fusesActivation?: boolean;
  /** The work for concrete shapes; every kernel that is not an alias has it. */
  plan?(call: StepCall): StepWork;
}

export interface BindContext {
  /** The raw weight `<owner>.<name>`, where owner is the node, or the node its `of` names. */
  weight(name: string): ConstantSpec;
  /** A constant computed from weights of the owner (by local name). */
  derived(
    what: string,
    names: readonly string[],
    make: (weight: (name: string) => Float32Array) => Float32Array,
  ): ConstantSpec;
}

export interface GpuKernel {
  readonly op: string;
  bind(node: Node, ctx: BindContext): BoundKernel;
}

/** Elements of a shape. */
export const sizeOf = (shape: Dims): number => shape.reduce((a, b) => a * b, 1);
