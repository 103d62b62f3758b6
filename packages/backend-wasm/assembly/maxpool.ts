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
  if (
    kh == 2 &&
    kw == 2 &&
    sh == 2 &&
    sw == 2 &&
    pt == 0 &&
    pl == 0 &&
    2 * oh <= h &&
    2 * ow <= w
  ) {
    maxpool2(x, out, planes, h, w, oh, ow);
    return;
  }
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

/**
 * The common 2 x 2 window, stride 2, no padding, every window inside the input: four outputs
 * per step, the maxima of two rows' vectors, then of their even and odd lanes.
 */
function maxpool2(x: usize, out: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32): void {
  let o = out;
  for (let p = 0; p < planes; p++) {
    for (let oy = 0; oy < oh; oy++) {
      const r0 = at(x, (p * h + 2 * oy) * w);
      const r1 = at(r0, w);
      let ox = 0;
      for (; ox + 4 <= ow; ox += 4) {
        const a = f32x4.max(v128.load(at(r0, 2 * ox)), v128.load(at(r1, 2 * ox)));
        const b = f32x4.max(v128.load(at(r0, 2 * ox + 4)), v128.load(at(r1, 2 * ox + 4)));
        const even = i32x4.shuffle(a, b, 0, 2, 4, 6);
        const odd = i32x4.shuffle(a, b, 1, 3, 5, 7);
        v128.store(o, f32x4.max(even, odd));
        o += 16;
      }
      for (; ox < ow; ox++) {
        const top = max(load<f32>(at(r0, 2 * ox)), load<f32>(at(r0, 2 * ox + 1)));
        const bottom = max(load<f32>(at(r1, 2 * ox)), load<f32>(at(r1, 2 * ox + 1)));
        store<f32>(o, max(top, bottom));
        o += 4;
      }
    }
  }
}
