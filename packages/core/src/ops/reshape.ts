/**
 * Reshape each sample; the batch dimension is kept. One target entry may be -1, meaning "the
 * rest". Elements are taken in row-major (C, H, W) order, as PyTorch's view does.
 */
import { formatShape, isKnown, product } from '../ir/dims.js';
import { noMacs, noParams, sampleElements } from './common.js';
import type { OpDef } from './schema.js';
import { ShapeError, ints } from './schema.js';

export const reshape: OpDef = {
  name: 'reshape',
  summary: 'reshape each sample (batch kept)',
  category: 'shape',
  arity: { min: 1, max: 1 },
  positional: ['shape'],
  attrs: {
    shape: { kind: 'ints', min: -1, doc: 'per-sample target shape; one entry may be -1' },
  },
  inferShape([x], attrs) {
    const target = ints(attrs, 'shape');
    if (target.length === 0) throw new ShapeError('reshape needs a non-empty target shape');
    if (target.some((d) => d === 0))
      throw new ShapeError('reshape target dimensions must be positive or -1');
    const rest = target.filter((d) => d === -1).length;
    if (rest > 1) throw new ShapeError('reshape allows at most one -1 in its target');
    const total = sampleElements(x!);
    const given = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (total === undefined) {
      if (rest === 1) {
        throw new ShapeError(`reshape cannot infer -1 from the symbolic shape ${formatShape(x!)}`);
      }
      return [x![0]!, ...target];
    }
    if (rest === 1) {
      if (total % given !== 0) {
        throw new ShapeError(`reshape cannot split ${total} elements into [${target.join(', ')}]`);
      }
      return [x![0]!, ...target.map((d) => (d === -1 ? total / given : d))];
    }
    if (given !== total) {
      const shown = isKnown(product(x!.slice(1))) ? total : formatShape(x!);
      throw new ShapeError(
        `reshape to [${target.join(', ')}] needs ${given} elements per sample, the input has ${shown}`,
      );
    }
    return [x![0]!, ...target];
  },
  params: noParams,
  macs: noMacs,
  // A relabelling of elements: the gradient is dy read in the input's shape.
  grad: (node, dy, e) => [e.emit('reshape_as', [dy, node.inputs[0]!], {}, 'dx')],
};
