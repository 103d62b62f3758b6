// The column matrix of conv's backward pass, one block of output positions at a time. Row
// d = (c·kh + i)·kw + j, column q of the column matrix is input pixel
// (oy·sh − pt + i·dh, ox·sw − pl + j·dw) of channel c for output position oy·ow + ox, zero in
// the padding (assembly/im2col.ts packs it for the forward GEMM).
//
// - im2colRows writes rows [d0, d1) and positions [j0, j0 + np) of it, row-major: dL/dW reads
//   it transposed (packB's column-major path) as dy · colsᵀ.
// - col2imAdd is its adjoint: it adds a block [depth, nc] of column gradients back into the
//   input pixels they were read from.
//
// Both walk a row one output row at a time, as im2colPack does: a run of positions shares its
// input row y and splits into a left padding part, a part inside the input and a right padding
// part, so the inner loops test no bounds, and with stride 1 move four floats at a time.
import { insideFrom, insideTo } from '../im2col';
import { at } from '../layout';

export function im2colRows(
  src: usize,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  pt: i32,
  pl: i32,
  dh: i32,
  dw: i32,
  ow: i32,
  d0: i32,
  d1: i32,
  j0: i32,
  np: i32,
  dst: usize,
): void {
  const taps = kh * kw;
  const oy0 = j0 / ow;
  const ox0 = j0 - oy0 * ow;
  let out = dst;
  for (let d = d0; d < d1; d++) {
    const c = d / taps;
    const i = (d - c * taps) / kw;
    const j = d - c * taps - i * kw;
    const plane = at(src, c * h * w);
    const dy = i * dh - pt;
    const dx = j * dw - pl;
    let oy = oy0;
    let ox = ox0;
    let left = np;
    while (left > 0) {
      const run = min(ow - ox, left);
      const y = oy * sh + dy;
      // The part of the run inside the input: [lo, hi).
      const lo = insideFrom(y, h, run, ox, dx, sw);
      const hi = insideTo(y, h, lo, run, ox, dx, sw, w);
      // Short runs (a row of a small map): plain stores, not memory.fill / memory.copy calls.
      let o = out;
      for (let t = 0; t < lo; t++) {
        store<f32>(o, 0);
        o += 4;
      }
      let s = at(plane, y * w + (ox + lo) * sw + dx);
      let t = lo;
      if (sw == 1) {
        for (; t + 4 <= hi; t += 4) {
          v128.store(o, v128.load(s));
          s += 16;
          o += 16;
        }
      }
      const step = (<usize>sw) << 2;
      for (; t < hi; t++) {
        store<f32>(o, load<f32>(s));
        s += step;
        o += 4;
      }
      for (; t < run; t++) {
        store<f32>(o, 0);
        o += 4;
      }
      out = at(out, run);
      left -= run;
      ox += run;
      if (ox == ow) {
        ox = 0;
        oy++;
      }
    }
  }
}

export function col2imAdd(
  cols: usize,
  h: i32,
  w: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  pt: i32,
  pl: i32,
  dh: i32,
  dw: i32,
  ow: i32,
  depth: i32,
  j0: i32,
  nc: i32,
  dst: usize,
): void {
  const taps = kh * kw;
  const oy0 = j0 / ow;
  const ox0 = j0 - oy0 * ow;
  let g = cols;
  for (let d = 0; d < depth; d++) {
    const c = d / taps;
    const i = (d - c * taps) / kw;
    const j = d - c * taps - i * kw;
    const plane = at(dst, c * h * w);
    const dy = i * dh - pt;
    const dx = j * dw - pl;
    let oy = oy0;
    let ox = ox0;
    let left = nc;
    while (left > 0) {
      const run = min(ow - ox, left);
      const y = oy * sh + dy;
      // The part of the run inside the input: [lo, hi).
      const lo = insideFrom(y, h, run, ox, dx, sw);
      const hi = insideTo(y, h, lo, run, ox, dx, sw, w);
      let p = at(plane, y * w + (ox + lo) * sw + dx);
      let q = at(g, lo);
      let t = lo;
      if (sw == 1) {
        for (; t + 4 <= hi; t += 4) {
          v128.store(p, f32x4.add(v128.load(p), v128.load(q)));
          p += 16;
          q += 16;
        }
      }
      const step = (<usize>sw) << 2;
      for (; t < hi; t++) {
        store<f32>(p, load<f32>(p) + load<f32>(q));
        p += step;
        q += 4;
      }
      g = at(g, run);
      left -= run;
      ox += run;
      if (ox == ow) {
        ox = 0;
        oy++;
      }
    }
  }
}
