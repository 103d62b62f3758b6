// Convolution as GEMM per image and channel group: out[g] = W[g] . im2col(x[g]). W[g] is packed
// once at compile time (packA, opg x depth, groups back to back); the column matrix is packed
// COLS output positions at a time into `scratch`, so scratch holds depth x COLS floats at most.
// The bias initialises the output, so it is added exactly once.
import { gemm } from './gemm';
import { im2colPack } from './im2col';
import { MR, at, roundUp } from './layout';

/** Output positions per packed column block (the TypeScript side sizes scratch with it). */
export const COLS: i32 = 256;

export function conv(
  x: usize,
  wp: usize,
  bias: usize,
  out: usize,
  scratch: usize,
  tmp: usize,
  n: i32,
  cin: i32,
  h: i32,
  w: i32,
  cout: i32,
  groups: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  pt: i32,
  pl: i32,
  dh: i32,
  dw: i32,
  oh: i32,
  ow: i32,
): void {
  const cpg = cin / groups;
  const opg = cout / groups;
  const depth = cpg * kh * kw;
  const area = oh * ow;
  const packed = roundUp(opg, MR) * depth;
  for (let b = 0; b < n; b++) {
    for (let g = 0; g < groups; g++) {
      const src = at(x, (b * cin + g * cpg) * h * w);
      const dst = at(out, (b * cout + g * opg) * area);
      for (let o = 0; o < opg; o++) {
        const v: f32 = bias ? load<f32>(at(bias, g * opg + o)) : 0;
        const row = at(dst, o * area);
        for (let i = 0; i < area; i++) store<f32>(at(row, i), v);
      }
      const a = at(wp, g * packed);
      for (let j0 = 0; j0 < area; j0 += COLS) {
        const nc = min(COLS, area - j0);
        im2colPack(src, h, w, kh, kw, sh, sw, pt, pl, dh, dw, ow, depth, j0, nc, scratch);
        gemm(a, scratch, at(dst, j0), area, opg, nc, depth, tmp);
      }
    }
  }
}
