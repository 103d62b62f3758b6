/**
 * Backward ops of the layout ops. flatten and reshape only relabel elements, so dL/dx is dy
 * read in x's shape (`reshape_as`, inputs (dy, x)). concat's gradient for one input is the
 * slice of dy that input filled (`concat_slice`, inputs (dy, x), at `offset` along `axis`).
 */
import type { OpDef } from '../schema.js';
import { backwardOp, like } from './define.js';

export const reshapeAs: OpDef = backwardOp(
  'reshape_as',
  "dy's elements in x's shape",
  2,
  {},
  like(1),
);

export const concatSlice: OpDef = backwardOp(
  'concat_slice',
  'the part of dy one concat input filled',
  2,
  {
    axis: { kind: 'int', doc: 'axis the forward concat joined along (non-negative)' },
    offset: { kind: 'int', min: 0, doc: 'where this input starts along the axis' },
  },
  like(1),
);
