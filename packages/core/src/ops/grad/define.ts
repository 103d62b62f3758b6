/**
 * Shared form of backward-op definitions. Backward ops own no parameters and report no MACs
 * (their cost is not part of a model's summary); each declares its output shape as a function
 * of its inputs, usually "the shape of the forward tensor it differentiates".
 */
import type { Attrs, Shape } from '../../ir/types.js';
import { noMacs, noParams } from '../common.js';
import type { AttrSpec, OpDef } from '../schema.js';

/** The `of` attribute: the forward node whose weights a backward op reads. */
export const ofAttr: AttrSpec = { kind: 'name', doc: 'forward node whose weights are read' };

export function backwardOp(
  name: string,
  summary: string,
  arity: number,
  attrs: Readonly<Record<string, AttrSpec>>,
  inferShape: (inputs: readonly Shape[], attrs: Attrs) => Shape,
): OpDef {
  return {
    name,
    summary,
    category: 'training',
    arity: { min: arity, max: arity },
    positional: [],
    attrs,
    inferShape,
    params: noParams,
    macs: noMacs,
  };
}

/** Output shaped like input `i` (dL/dx has x's shape). */
export const like =
  (i: number) =>
  (inputs: readonly Shape[]): Shape =>
    inputs[i]!;
