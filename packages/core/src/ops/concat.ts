/** Concatenation along an axis (default 1: channels), as in inception blocks. */
import { dimsEqual, formatShape } from '../ir/dims.js';
import { noMacs, noParams } from './common.js';
import type { OpDef } from './schema.js';
import { ShapeError, int } from './schema.js';

export const concat: OpDef = {
  name: 'concat',
  summary: 'concatenate along an axis (channels by default)',
  category: 'join',
  arity: { min: 2, max: 64 },
  positional: [],
  attrs: { axis: { kind: 'int', default: 1, doc: 'axis to join along; not the batch' } },
  inferShape(inputs, attrs) {
    const first = inputs[0]!;
    const rank = first.length;
    const raw = int(attrs, 'axis');
    const axis = raw < 0 ? raw + rank : raw;
    if (axis <= 0 || axis >= rank) {
      throw new ShapeError(`concat axis ${raw} is not a non-batch axis of ${formatShape(first)}`);
    }
    for (let i = 1; i < inputs.length; i++) {
      const s = inputs[i]!;
      const fits = s.length === rank && s.every((d, j) => j === axis || dimsEqual(d, first[j]!));
      if (!fits) {
        throw new ShapeError(
          `concat along axis ${axis}: input ${i + 1} ${formatShape(s)} does not match input 1 ${formatShape(first)} off that axis`,
        );
      }
    }
    const sizes = inputs.map((s) => s[axis]!);
    const total = sizes.every((d) => typeof d === 'number')
      ? (sizes as number[]).reduce((a, b) => a + b, 0)
      : sizes.map(String).join('+');
    return first.map((d, j) => (j === axis ? total : d));
  },
  params: noParams,
  macs: noMacs,
  // Each input's gradient is the slice of dy it filled, at its running offset along the axis.
  grad(node, dy, e) {
    const rank = e.shape(node.inputs[0]!).length;
    const raw = int(node.attrs, 'axis');
    const axis = raw < 0 ? raw + rank : raw;
    let offset = 0;
    return node.inputs.map((x, i) => {
      const at = offset;
      const size = e.shape(x)[axis]!;
      if (typeof size !== 'number') {
        throw new ShapeError(`concat gradient needs a known size along axis ${axis}`);
      }
      offset += size;
      if (!e.wantsInput(node, i)) return undefined;
      return e.emit('concat_slice', [dy, x], { axis, offset: at }, `dx${i}`);
    });
  },
};
