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
};
