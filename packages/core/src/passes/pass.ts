/**
 * What a rewrite pass is. A pass takes a graph that checked cleanly (and the shapes the checker
 * inferred) and returns a new graph; it never edits the one it was given. It reports every node
 * it rewrote and every node it looked at but left alone, with the reason, so a user can tell
 * "nothing to do" from "refused". Weights live outside the graph, so a pass that changes a
 * parameter's shape or value also returns `mapWeights`, which rewrites a weight map to fit.
 */
import type { Weights } from '../backend/types.js';
import type { Graph, Shape } from '../ir/types.js';

export interface PassOptions {
  /**
   * Fully convolutional mode for `fc-to-conv`: keep the class-score map [N, classes, h, w] as
   * the output instead of flattening it back to [N, classes].
   */
  readonly spatial?: boolean;
  /**
   * The rewritten graph will be trained. Inference-only rewrites (`fold-batchnorm`,
   * `drop-dropout`) then leave every node as it is and say so.
   */
  readonly training?: boolean;
}

export interface PassChange {
  /** The node as named in the rewritten graph. */
  readonly node: string;
  readonly what: string;
}

export interface PassSkip {
  readonly node: string;
  readonly why: string;
}

export interface PassReport {
  readonly pass: string;
  readonly changed: readonly PassChange[];
  readonly skipped: readonly PassSkip[];
  /** Facts about the rewrite as a whole (renamed outputs, parameter drops, retraining). */
  readonly notes: readonly string[];
}

export interface PassResult {
  readonly graph: Graph;
  readonly report: PassReport;
  /**
   * Rewrites weights of the input graph into weights of the output graph (reshape, fold values,
   * drop). Absent when the pass leaves every weight as it is.
   */
  readonly mapWeights?: (weights: Weights) => Weights;
}

export interface Pass {
  /** Registry name, as the CLI's `--pass` takes it (`fc-to-conv`). */
  readonly name: string;
  /** One line for help texts. */
  readonly summary: string;
  /**
   * True when the rewritten model computes something else (head surgery that needs
   * retraining). False means outputs stay equal up to float rounding, which `verifyRewrite`
   * can check.
   */
  readonly changesResults: boolean;
  run(graph: Graph, shapes: ReadonlyMap<string, Shape>, options: PassOptions): PassResult;
}
