/**
 * The layer IR: a graph of nodes over named tensors.
 *
 * Every node produces exactly one tensor, and that tensor carries the node's name, so a name
 * identifies both. Graph inputs are nodes of op `input`. Nodes are kept in a topological order
 * (every input of a node is defined by an earlier node); the validator checks that.
 */
import type { Span } from '../diagnostics/span.js';

/** A dimension: a concrete size, or a symbol (`'N'`, `'H'`) bound later. */
export type Dim = number | string;

/** A shape in NCHW order. The first dimension is the batch. */
export type Shape = readonly Dim[];

/** Element types. Kiln is float32 first; others are welcome later. */
export type DType = 'f32';

/** A tensor's type: element type and shape. */
export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
}

/** An attribute value as stored in the IR, after the op's schema normalised it. */
export type AttrValue = number | boolean | string | readonly (number | string)[];

/** Attributes of a node, keyed by the names its op definition declares. */
export type Attrs = Readonly<Record<string, AttrValue>>;

/** One layer. Its output tensor is named after it. */
export interface Node {
  /** Unique in the graph; also the name of the tensor the node produces. */
  readonly name: string;
  /** An op name from the core registry (`conv`, `dense`, ...). */
  readonly op: string;
  /** Names of the tensors this node reads, in the op's order. */
  readonly inputs: readonly string[];
  /** Normalised attributes: every attribute of the op is present (defaults filled in). */
  readonly attrs: Attrs;
  /** Frozen layers receive no parameter updates during training. */
  readonly frozen?: boolean;
  /** Where in the source the node was written, for diagnostics. */
  readonly span?: Span;
}

/** A hyperparameter entry of the training section: a name, a value, and named options. */
export interface TrainingEntry {
  readonly value: AttrValue;
  readonly options: Attrs;
  readonly span?: Span;
}

/**
 * The model's optional training section, kept as written: keys such as `loss`, `optimizer`,
 * `lr`, `batch_size`, `epochs`. The training package interprets and validates it.
 */
export type TrainingConfig = Readonly<Record<string, TrainingEntry>>;

/** A whole model. */
export interface Graph {
  readonly name: string;
  /** All nodes in topological order; inputs (op `input`) included. */
  readonly nodes: readonly Node[];
  /** Names of the tensors the model returns. */
  readonly outputs: readonly string[];
  readonly training?: TrainingConfig;
  readonly span?: Span;
}
