/**
 * The contract between an op's forward definition and reverse-mode differentiation.
 *
 * An op's `grad` function receives the forward node and the name of the tensor holding the
 * upstream gradient dL/d(output), and emits backward nodes through the `GradEmitter`. It returns,
 * for each forward input, the name of the tensor holding dL/d(input), or undefined when that
 * input gets no gradient. Parameter gradients are reported through `emitter.paramGrad`.
 *
 * Backward ops are ordinary graph ops (defined in core, run by every backend), so the backward
 * pass is a graph like any other. A backward op that needs a forward node's weights (the
 * input-gradient of dense and conv, batchnorm's) names that node in its `of` attribute; a backend
 * resolves its weight lookups against `<of>.<param>` instead of its own name.
 */
import type { Attrs, Node, Shape } from '../ir/types.js';

export interface GradEmitter {
  /** Appends a backward node and returns the name of its output tensor. */
  emit(op: string, inputs: readonly string[], attrs: Attrs, hint: string): string;
  /** Records dL/d(`<node>.<param>`), already computed in `tensor`. */
  paramGrad(node: Node, param: string, tensor: string): void;
  /** Whether `<node>.<param>` is trained (learnable, and its node is not frozen). */
  wantsParam(node: Node, param: string): boolean;
  /** Whether forward input `index` of `node` needs a gradient (it leads to a trained parameter). */
  wantsInput(node: Node, index: number): boolean;
  /** The inferred shape of a forward tensor. */
  shape(tensor: string): Shape;
}

/** Emits the backward nodes of `node`; returns dL/d(input) for each input (or undefined). */
export type GradFn = (
  node: Node,
  upstream: string,
  emitter: GradEmitter,
) => readonly (string | undefined)[];
