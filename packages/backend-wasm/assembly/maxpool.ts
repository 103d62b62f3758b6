// Max pooling over [planes, h, w]; padding never wins (it is skipped). NaN propagates, as in
// PyTorch.
import { at } from './layout';
import { first, last } from './pool';

export function maxpool(
  x: usize,
  out: usize,
  planes: i32,
  h: i32,
  w: i32,
  oh: i32,
  ow: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  pt: i32,
  pl: i32,
): void {
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = at(x, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      const y0 = first(oy, sh, pt);
      const y1 = last(oy, sh, pt, kh, h);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = first(ox, sw, pl);
        const x1 = last(ox, sw, pl, kw, w);
        let m: f32 = -Infinity;
        for (let y = y0; y < y1; y++) {
          const row = at(plane, y * w);
          // f32.max returns NaN when either side is NaN: no branch in the loop.
          for (let xx = x0; xx < x1; xx++) m = max(m, load<f32>(at(row, xx)));
        }
        store<f32>(at(out, o++), m);
      }
    }
  }
}
