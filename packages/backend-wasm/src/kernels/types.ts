/**
 * The WASM kernel interface. A kernel is bound once per node at compile time: it says which
 * constants (packed weights, folded statistics) it keeps in the session's memory and how much
 * scratch a run needs; the session lays all of that out in its one memory. `run` then calls the
 * module with byte offsets only, so a run allocates nothing.
 */
import type { Node, Shape } from '@kiln/core';
import type { KilnExports } from '../exports.js';
import type { WasmMemory } from '../module.js';

export type Dims = readonly number[];

/** The weight tensor `<node>.<name>`; compile checked its presence and shape. */
export type ParamLookup = (name: string) => Float32Array;

/** The shape of the weight tensor `<node>.<name>`. */
export type ParamShape = (name: string) => readonly number[];

/** Copies values into the staging area; returns their byte offset. */
export type Stage = (values: Float32Array) => number;

/** Data a bound kernel keeps in memory for the session's life. */
export interface Constant {
  readonly bytes: number;
  /** The most raw values `write` stages at once (a weight to pack goes in bands). */
  readonly stageBytes?: number;
  /**
   * Writes the constant at `dst`. `stage` copies raw values (at most `stageBytes`) into the
   * staging area above the constants, where the module can read them, and returns its offset.
   */
  write(k: KilnExports, memory: WasmMemory, dst: number, stage: Stage): void;
}

/** Where one step's operands live, as byte offsets into the session memory. */
export interface Call {
  readonly inputs: readonly number[];
  readonly inShapes: readonly Dims[];
  readonly out: number;
  readonly outShape: Dims;
  /** The constants this node declared, in order. */
  readonly constants: readonly number[];
  /**
   * Scratch for each thread: part p owns `stride` bytes from scratch + p * stride, that is
   * `scratchBytes` rounded up, then TILE_BYTES for the GEMM's edge tiles.
   */
  readonly scratch: number;
  readonly stride: number;
}

/** Work a session may share among its threads: a task code and its i32 arguments. */
export interface Task {
  readonly op: number;
  readonly args: readonly number[];
  /** Multiply-adds: a small task runs on the calling thread alone (waking workers costs more). */
  readonly macs: number;
}

export interface BoundKernel {
  /** How the kernel computes, where it picks among several ways (session info counts them). */
  readonly method?: string;
  readonly constants?: readonly Constant[];
  scratchBytes?(inShapes: readonly Dims[], outShape: Dims): number;
  /** Runs the step on the calling thread. A kernel has `run` or `task`. */
  run?(k: KilnExports, call: Call): void;
  /**
   * The step as a task for assembly/task.ts, which the session's threads split among them
   * (conv, dense); on one thread the session runs it all itself.
   */
  task?(call: Call): Task;
}

/** Where a node runs, as far as compile time knows. */
export interface BindSite {
  /**
   * The node's output shape: concrete where the graph or the compile-time `dims` fix it (the
   * batch taken as 1 where open), else as the graph check found it, with symbols.
   */
  readonly outShape: Shape;
  /**
   * The graph trains (it holds backward nodes): a kernel then keeps exact the results the CPU
   * backend gets exactly (a zero window gives 0), or ReLU and max-pool masks would differ.
   */
  readonly training: boolean;
  /** The backend's `winograd` option: '2x2' keeps every Winograd conv on F(2x2, 3x3). */
  readonly winograd: 'auto' | '2x2';
}

export interface WasmKernel {
  readonly op: string;
  /**
   * Binds the kernel to a node. A backward node (one with an `of` attribute) reads the weights
   * of the forward node it names. `site` says what a kernel may pick its method by.
   */
  bind(node: Node, param: ParamLookup, paramShape: ParamShape, site: BindSite): BoundKernel;
}

/** Elements of a shape. */
export const sizeOf = (shape: Dims): number => shape.reduce((a, b) => a * b, 1);
