// The input rows the Winograd input transforms read: a row of the patches of four horizontally
// adjacent tiles, 10 inputs for F(2 x 2, 3 x 3), 18 for F(4 x 4, 3 x 3).
import { at } from './layout';

/**
 * Pointer to the `span` inputs x0 .. x0 + span - 1 of row y of `plane` (h x w), or to `zeros`
 * past the top or bottom; a row cut by the left or right edge is copied to `buf` with zeros.
 * `inside` says that the span lies within the row, the common case, which the caller decides
 * once for the six (four) rows of a patch.
 */
export function patchRow(
  plane: usize,
  h: i32,
  w: i32,
  y: i32,
  x0: i32,
  span: i32,
  inside: bool,
  buf: usize,
  zeros: usize,
): usize {
  if (<u32>y >= <u32>h) return zeros;
  if (inside) return at(plane, y * w + x0);
  return edgeRow(at(plane, y * w), w, x0, span, buf);
}

/** The `span` values from x0 of a row `w` long, zero outside it, copied to `buf`. */
function edgeRow(row: usize, w: i32, x0: i32, span: i32, buf: usize): usize {
  for (let i = 0; i < span; i++) {
    const x = x0 + i;
    store<f32>(at(buf, i), x >= 0 && x < w ? load<f32>(at(row, x)) : 0);
  }
  return buf;
}
