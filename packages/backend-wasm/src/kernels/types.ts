/**
 * The WASM kernel interface. A kernel is bound once per node at compile time: it says which
 * constants (packed weights, folded statistics) it keeps in the session's memory and how much
 * scratch a run needs; the session lays all of that out in its one memory. `run` then calls the
 * module with byte offsets only, so a run allocates nothing.
 */
import type { Node } from '@kiln/core';
import type { KilnExports } from '../exports.js';
import type { WasmMemory } from '../module.js';

export type Dims = readonly number[];

/** The weight tensor `<node>.<name>`; compile checked its presence and shape. */
export type ParamLookup = (name: string) => Float32Array;

/** Data a bound kernel keeps in memory for the session's life. */
export interface Constant {
  readonly bytes: number;
  /** Raw values copied into a staging area before `write` (e.g. a weight to pack). */
  readonly stage?: Float32Array;
  /** Writes the constant at `dst`; `staged` is where `stage` was copied. */
  write(k: KilnExports, memory: WasmMemory, dst: number, staged: number): void;
}

/** Where one step's operands live, as byte offsets into the session memory. */
export interface Call {
  readonly inputs: readonly number[];
  readonly inShapes: readonly Dims[];
  readonly out: number;
  readonly outShape: Dims;
  /** The constants this node declared, in order. */
  readonly constants: readonly number[];
  /** `scratchBytes` of space, then TILE_BYTES for the GEMM's edge tiles. */
  readonly scratch: number;
  readonly tile: number;
}

export interface BoundKernel {
  readonly constants?: readonly Constant[];
  scratchBytes?(inShapes: readonly Dims[], outShape: Dims): number;
  run(k: KilnExports, call: Call): void;
}

export interface WasmKernel {
  readonly op: string;
  bind(node: Node, param: ParamLookup): BoundKernel;
}

/** Elements of a shape. */
export const sizeOf = (shape: Dims): number => shape.reduce((a, b) => a * b, 1);
