// The column matrix of conv's backward pass, one block of output positions at a time. Row
// d = (c·kh + i)·kw + j, column q of the column matrix is input pixel
// (oy·sh − pt + i·dh, ox·sw − pl + j·dw) of channel c for output position oy·ow + ox, zero in
// the padding (assembly/im2col.ts packs it for the forward GEMM).
//
// - im2colPackT packs rows [d0, d1) and positions [j0, j0 + np) of it transposed, as a packed
//   B operand np x (d1 − d0): dL/dW = dy · colsᵀ reads it so.
// - col2imAdd is the adjoint of the column matrix: it adds a block [depth, nc] of column
//   gradients back into the input pixels they were read from.
import { NR, at, depthBlock, roundUp } from '../layout';

export function im2colPackT(
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
  const kb = depthBlock(np);
  const width = roundUp(d1 - d0, NR);
  const taps = kh * kw;
  const oy0 = j0 / ow;
  const ox0 = j0 - oy0 * ow;
  for (let d = d0; d < d0 + width; d++) {
    const col = d - d0;
    const panel = col / NR;
    const lane = col - panel * NR;
    const real = d < d1;
    const c = d / taps;
    const i = (d - c * taps) / kw;
    const j = d - c * taps - i * kw;
    const plane = at(src, c * h * w);
    const dy = i * dh - pt;
    const dx = j * dw - pl;
    let oy = oy0;
    let ox = ox0;
    for (let p0 = 0; p0 < np; p0 += kb) {
      const kc = min(kb, np - p0);
      // Row q of this block: panel `panel` starts kc * NR floats after the previous one.
      let out = at(dst, p0 * width + panel * kc * NR + lane);
      for (let q = 0; q < kc; q++) {
        const y = oy * sh + dy;
        const x = ox * sw + dx;
        const inside = real && y >= 0 && y < h && x >= 0 && x < w;
        store<f32>(out, inside ? load<f32>(at(plane, y * w + x)) : 0);
        out += NR << 2;
        if (++ox == ow) {
          ox = 0;
          oy++;
        }
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
  for (let d = 0; d < depth; d++) {
    const c = d / taps;
    const i = (d - c * taps) / kw;
    const j = d - c * taps - i * kw;
    const plane = at(dst, c * h * w);
    const dy = i * dh - pt;
    const dx = j * dw - pl;
    let g = at(cols, d * nc);
    let oy = oy0;
    let ox = ox0;
    for (let q = 0; q < nc; q++) {
      const y = oy * sh + dy;
      const x = ox * sw + dx;
      if (y >= 0 && y < h && x >= 0 && x < w) {
        const p = at(plane, y * w + x);
        store<f32>(p, load<f32>(p) + load<f32>(g));
      }
      g += 4;
      if (++ox == ow) {
        ox = 0;
        oy++;
      }
    }
  }
}
