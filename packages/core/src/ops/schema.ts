/**
 * What an op definition declares: its attributes (typed, with defaults), how many inputs it
 * takes, and three functions of its input shapes: the output shape, the parameters it owns, and
 * the multiply-accumulates one sample costs. Every backend, the DSL, the passes and the exporters
 * read ops through this interface only.
 */
import type { GradFn } from '../autodiff/types.js';
import type { Attrs, AttrValue, Dim, Node, Shape } from '../ir/types.js';

/**
 * Attribute kinds and the values the DSL may write for them:
 * - `int`, `float`, `bool`: scalars; `enum`: one of `values`.
 * - `pair`: `k` or `[kh, kw]`; stored as `[kh, kw]`.
 * - `pads`: `p`, `[ph, pw]` or `[top, left, bottom, right]` (ONNX's order); stored as four.
 * - `ints`: a list of integers (reshape's target, `-1` once for "the rest").
 * - `shape`: a list of dimensions, each an integer or a symbol (`N`).
 * - `name`: the name of another node (backward ops name the forward node whose weights they read).
 */
export type AttrKind =
  'int' | 'float' | 'bool' | 'enum' | 'pair' | 'pads' | 'ints' | 'shape' | 'name';

export interface AttrSpec {
  readonly kind: AttrKind;
  readonly doc: string;
  /** A default, or a function of the attributes given so far (a pool's stride = its kernel). */
  readonly default?: AttrValue | ((attrs: Attrs) => AttrValue);
  /** Smallest allowed value (for `pair` and `pads`, of each element). */
  readonly min?: number;
  /** Largest allowed value. */
  readonly max?: number;
  /** Allowed values of an `enum`. */
  readonly values?: readonly string[];
}

/** A tensor an op owns (weights). Shapes are concrete: parameters need known channel counts. */
export interface ParamSpec {
  /** Local name; the full weight name is `<node>.<name>` (`fc6.weight`). */
  readonly name: string;
  readonly shape: readonly number[];
  /** False for buffers such as batchnorm running statistics (not counted as parameters). */
  readonly learnable: boolean;
  /** How seeded initialisation fills it: `fan` uses He or Xavier, chosen by the activation. */
  readonly init: 'fan' | 'zeros' | 'ones';
  /** Inputs feeding one output (for He / Xavier scaling). */
  readonly fanIn: number;
  readonly fanOut: number;
}

/** Thrown by shape inference; the checker adds the node, the span and the rendering. */
export class ShapeError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ShapeError';
  }
}

export type OpCategory =
  | 'input'
  | 'linear'
  | 'pool'
  | 'activation'
  | 'normalization'
  | 'shape'
  | 'join'
  | 'regularization'
  /** Only in training graphs: backward ops, losses, training-mode forms (ops/grad/). */
  | 'training';

export interface OpDef {
  readonly name: string;
  /** One line for help texts and ARCHITECTURE.md. */
  readonly summary: string;
  readonly category: OpCategory;
  /** How many input tensors it takes. */
  readonly arity: { readonly min: number; readonly max: number };
  /** Attribute names filled, in order, by positional arguments (`conv 64` sets `channels`). */
  readonly positional: readonly string[];
  readonly attrs: Readonly<Record<string, AttrSpec>>;
  /** Checks the inputs and returns the output shape; throws `ShapeError` when they do not fit. */
  inferShape(inputs: readonly Shape[], attrs: Attrs): Shape;
  /** Parameters owned by a node with these inputs; throws `ShapeError` if they are unknowable. */
  params(inputs: readonly Shape[], attrs: Attrs): ParamSpec[];
  /** Multiply-accumulates for one sample, or undefined when a dimension is symbolic. */
  macs(inputs: readonly Shape[], output: Shape, attrs: Attrs): number | undefined;
  /** Reverse-mode gradient, written next to the forward definition (see autodiff/types.ts). */
  readonly grad?: GradFn;
  /**
   * The node to run while training, when it differs from inference: dropout draws a mask,
   * batchnorm uses batch statistics. `extraInputs` are graph inputs the training loop feeds.
   */
  readonly trainingForm?: (node: Node, shape: Shape) => TrainingForm;
}

/** A forward node rewritten for training mode, plus the inputs the training loop must feed. */
export interface TrainingForm {
  readonly node: Node;
  readonly extraInputs: readonly { readonly name: string; readonly shape: Shape }[];
  /** Extra tensors the training graph returns (batchnorm's updated running statistics). */
  readonly extraNodes: readonly Node[];
}

/** Typed attribute getters for op implementations (the schema guarantees presence and kind). */
export function int(attrs: Attrs, name: string): number {
  return attrs[name] as number;
}
export function float(attrs: Attrs, name: string): number {
  return attrs[name] as number;
}
export function bool(attrs: Attrs, name: string): boolean {
  return attrs[name] as boolean;
}
export function str(attrs: Attrs, name: string): string {
  return attrs[name] as string;
}
export function ints(attrs: Attrs, name: string): readonly number[] {
  return attrs[name] as readonly number[];
}
export function dims(attrs: Attrs, name: string): readonly Dim[] {
  return attrs[name] as readonly Dim[];
}
