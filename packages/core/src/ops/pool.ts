/**
 * Shape rules shared by maxpool and avgpool. Padding may be at most half the kernel on each side
 * (PyTorch's rule): a window lying wholly in the padding would have no input to pool.
 */
import { windowOutput } from '../ir/dims.js';
import type { Attrs, Shape } from '../ir/types.js';
import { expectRank, windowAttrs } from './common.js';
import type { AttrSpec } from './schema.js';
import { ShapeError, bool, ints } from './schema.js';

export function poolShape(op: string, x: Shape, attrs: Attrs): Shape {
  expectRank(op, x, 4, x.length === 2 ? 'pooling needs a feature map, not a vector' : undefined);
  const [n, c, h, w] = x;
  const [kh, kw] = ints(attrs, 'kernel') as [number, number];
  const [sh, sw] = ints(attrs, 'stride') as [number, number];
  const [pt, pl, pb, pr] = ints(attrs, 'pad') as [number, number, number, number];
  if (Math.max(pt, pb) > Math.floor(kh / 2) || Math.max(pl, pr) > Math.floor(kw / 2)) {
    throw new ShapeError(
      `${op} padding [${pt}, ${pl}, ${pb}, ${pr}] exceeds half the ${kh}x${kw} kernel`,
      'pooling padding may be at most kernel/2 on each side',
    );
  }
  const ceil = bool(attrs, 'ceil_mode');
  const oh = windowOutput(h!, kh, sh, pt, pb, 1, ceil);
  const ow = windowOutput(w!, kw, sw, pl, pr, 1, ceil);
  if ((typeof oh === 'number' && oh < 1) || (typeof ow === 'number' && ow < 1)) {
    throw new ShapeError(`${op} kernel ${kh}x${kw} is larger than the padded ${h}x${w} input`);
  }
  return [n!, c!, oh, ow];
}

/** Attributes of both pools: the window, a stride that defaults to the kernel, ceil mode. */
export function poolAttrs(): Record<string, AttrSpec> {
  return {
    ...windowAttrs(),
    stride: {
      kind: 'pair',
      min: 1,
      default: (a) => a['kernel']!,
      doc: 'step [sh, sw]; default: the kernel',
    },
    ceil_mode: { kind: 'bool', default: false, doc: 'round the output size up instead of down' },
  };
}
