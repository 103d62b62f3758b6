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
 * The common 2 x 2 window, stride 2, no padding, every window inside the input. Windows do not
 * overlap, so each input element gets its window's gradient or nothing: four windows per step,
 * their candidates split into even and odd lanes of two rows, the first maximum chosen by
 * masks (a later candidate wins only when greater, as in the general loop), and the gradient
 * stored where its mask holds, zero elsewhere.
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
      const r0 = at(x, row);
      const r1 = at(r0, w);
      const d0 = at(out, row);
      const d1 = at(d0, w);
      let ox = 0;
      for (; ox + 4 <= ow; ox += 4) {
        const a0 = v128.load(at(r0, 2 * ox));
        const a1 = v128.load(at(r0, 2 * ox + 4));
        const b0 = v128.load(at(r1, 2 * ox));
        const b1 = v128.load(at(r1, 2 * ox + 4));
        let top = i32x4.shuffle(a0, a1, 0, 2, 4, 6);
        const tr = i32x4.shuffle(a0, a1, 1, 3, 5, 7);
        const bl = i32x4.shuffle(b0, b1, 0, 2, 4, 6);
        const br = i32x4.shuffle(b0, b1, 1, 3, 5, 7);
        const wonTr = f32x4.gt(tr, top);
        top = v128.bitselect(tr, top, wonTr);
        const wonBl = f32x4.gt(bl, top);
        top = v128.bitselect(bl, top, wonBl);
        const wonBr = f32x4.gt(br, top);
        const grad = v128.load(g);
        // A later winner takes the gradient from every earlier one.
        const gBr = v128.and(grad, wonBr);
        const gBl = v128.andnot(v128.and(grad, wonBl), wonBr);
        const gTr = v128.andnot(v128.andnot(v128.and(grad, wonTr), wonBl), wonBr);
        const gTl = v128.andnot(grad, v128.or(v128.or(wonTr, wonBl), wonBr));
        v128.store(at(d0, 2 * ox), i32x4.shuffle(gTl, gTr, 0, 4, 1, 5));
        v128.store(at(d0, 2 * ox + 4), i32x4.shuffle(gTl, gTr, 2, 6, 3, 7));
        v128.store(at(d1, 2 * ox), i32x4.shuffle(gBl, gBr, 0, 4, 1, 5));
        v128.store(at(d1, 2 * ox + 4), i32x4.shuffle(gBl, gBr, 2, 6, 3, 7));
        g += 16;
      }
      for (; ox < ow; ox++) {
        const i = 2 * ox;
        let best = at(d0, i);
        let top = load<f32>(at(r0, i));
        const b = load<f32>(at(r0, i + 1));
        best = select(at(d0, i + 1), best, b > top);
        top = select(b, top, b > top);
        const c = load<f32>(at(r1, i));
        best = select(at(d1, i), best, c > top);
        top = select(c, top, c > top);
        best = select(at(d1, i + 1), best, load<f32>(at(r1, i + 1)) > top);
        store<f32>(best, load<f32>(g));
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
