/**
 * The kernel interface. A kernel is bound once per node at compile time, when it may prepare its
 * weights (pack them for the GEMM); the bound kernel then runs for any concrete shapes the
 * session sees. Kernels read their inputs and write only `out`, which the executor sized to the
 * inferred output shape; they never keep references to either between runs.
 */
import type { Node } from '@kiln/core';

export type Dims = readonly number[];

/** The weight tensor `<node>.<name>`; compile checked its presence and shape. */
export type ParamLookup = (name: string) => Float32Array;

export interface BoundKernel {
  run(
    inputs: readonly Float32Array[],
    inShapes: readonly Dims[],
    out: Float32Array,
    outShape: Dims,
  ): void;
}

export interface Kernel {
  readonly op: string;
  bind(node: Node, param: ParamLookup): BoundKernel;
}

/** Elements of a shape. */
export const sizeOf = (shape: Dims): number => shape.reduce((a, b) => a * b, 1);
