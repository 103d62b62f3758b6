/**
 * The op table's contract. Lowering one Kiln node appends ONNX nodes whose final output is the
 * tensor named after the Kiln node, so the next node (and the model's outputs) find it by name.
 */
import type { Node, Shape } from '@kiln/core';
import type { OnnxTypes } from '../proto.js';

export interface Lowering {
  readonly opset: number;
  readonly shapes: ReadonlyMap<string, Shape>;
  /** Appends an ONNX node; its name defaults to its first output. */
  emit(
    opType: string,
    inputs: readonly string[],
    output: string,
    attrs?: readonly OnnxTypes.IAttributeProto[],
  ): void;
  /** A tensor name used nowhere else in the model, derived from `base`. */
  fresh(base: string): string;
  /** A Constant node holding the tensor `make` builds under a fresh name; returns that name. */
  constant(base: string, make: (name: string) => OnnxTypes.ITensorProto): string;
}

export type LowerOp = (node: Node, ctx: Lowering) => void;

/** The weight tensor names of a node, as `initWeights` and safetensors files name them. */
export const param = (node: Node, name: string) => `${node.name}.${name}`;
