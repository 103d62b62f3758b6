// Backward kernels of the pools over [planes, h, w], with the forward's window geometry
// (../pool.ts). Max pooling sends each upstream value to the first maximum of its window
// (PyTorch's rule: a later equal value does not win); average pooling spreads it over the
// window's real elements with the forward's divisor; global average pooling spreads dy / area.
import { at } from '../layout';
import { first, last, span } from '../pool';

export function maxpoolGrad(
  dy: usize,
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
  memory.fill(out, 0, (<usize>(planes * h * w)) << 2);
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
    maxpool2Grad(dy, x, out, planes, h, w, oh, ow);
    return;
  }
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = at(x, p * h * w);
    const grad = at(out, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      const y0 = first(oy, sh, pt);
      const y1 = last(oy, sh, pt, kh, h);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = first(ox, sw, pl);
        const x1 = last(ox, sw, pl, kw, w);
        // The first element seeds the search, so a NaN there keeps its place, as on the CPU.
        let best = -1;
        let top: f32 = -Infinity;
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            const v = load<f32>(at(plane, y * w + xx));
            if (best < 0 || v > top) {
              top = v;
              best = y * w + xx;
            }
          }
        }
        if (best >= 0) {
          const dst = at(grad, best);
          store<f32>(dst, load<f32>(dst) + load<f32>(at(dy, o)));
        }
        o++;
      }
    }
  }
}

/**
 * The common 2 x 2 window, stride 2, no padding, every window inside the input: the four
 * candidates in window order, without loops; windows do not overlap.
 */
function maxpool2Grad(
  dy: usize,
  x: usize,
  out: usize,
  planes: i32,
  h: i32,
  w: i32,
  oh: i32,
  ow: i32,
): void {
  let g = dy;
  for (let p = 0; p < planes; p++) {
    for (let oy = 0; oy < oh; oy++) {
      const row = (p * h + 2 * oy) * w;
      for (let ox = 0; ox < ow; ox++) {
        const i = row + 2 * ox;
        // Selects, not branches: which element wins is data, and mispredicts.
        let best = i;
        let top = load<f32>(at(x, i));
        const b = load<f32>(at(x, i + 1));
        best = select(i + 1, best, b > top);
        top = select(b, top, b > top);
        const c = load<f32>(at(x, i + w));
        best = select(i + w, best, c > top);
        top = select(c, top, c > top);
        best = select(i + w + 1, best, load<f32>(at(x, i + w + 1)) > top);
        const dst = at(out, best);
        store<f32>(dst, load<f32>(dst) + load<f32>(g));
        g += 4;
      }
    }
  }
}

export function avgpoolGrad(
  dy: usize,
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
  pb: i32,
  pr: i32,
  includePad: i32,
): void {
  memory.fill(out, 0, (<usize>(planes * h * w)) << 2);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const grad = at(out, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      const y0 = first(oy, sh, pt);
      const y1 = last(oy, sh, pt, kh, h);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = first(ox, sw, pl);
        const x1 = last(ox, sw, pl, kw, w);
        const count = includePad
          ? span(oy, sh, pt, kh, h, pb) * span(ox, sw, pl, kw, w, pr)
          : (y1 - y0) * (x1 - x0);
        // The share stays float64 and each sum is rounded once, as the CPU backend adds it.
        const share = <f64>load<f32>(at(dy, o++)) / <f64>count;
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            const dst = at(grad, y * w + xx);
            store<f32>(dst, <f32>(<f64>load<f32>(dst) + share));
          }
        }
      }
    }
  }
}

/** Each of `planes` maps of `area` elements gets dy[plane] / area. */
export function globalAvgpoolGrad(dy: usize, out: usize, planes: i32, area: i32): void {
  for (let p = 0; p < planes; p++) {
    const g = <f32>(<f64>load<f32>(at(dy, p)) / <f64>area);
    const v = f32x4.splat(g);
    const base = at(out, p * area);
    let i = 0;
    for (; i + 4 <= area; i += 4) v128.store(at(base, i), v);
    for (; i < area; i++) store<f32>(at(base, i), g);
  }
}
