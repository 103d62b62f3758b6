// Convolution as GEMM per image and channel group: out[g] = W[g] . im2col(x[g]). W[g] is packed
// once at compile time (packA, opg x depth, groups back to back); the column matrix is packed
// at most COLS output positions at a time into scratch, which holds depth x COLS floats.
// The bias initialises the output, so it is added exactly once.
import { gemm } from './gemm';
import { im2colPack } from './im2col';
import { MR, NR, TILE, at, roundUp } from './layout';

/** Output positions per packed column block (the TypeScript side sizes scratch with it). */
export const COLS: i32 = 256;

/**
 * The convolution, or the share `part` of `parts` of it: the output positions of each image and
 * group are cut into blocks (at most COLS, fewer when that gives every part work) and block
 * number i goes to part i % parts. Each part owns `stride` bytes of scratch from
 * scratch + part * stride, the edge tile of the GEMM in its last TILE bytes.
 */
export function conv(
  x: usize,
  wp: usize,
  bias: usize,
  out: usize,
  scratch: usize,
  stride: i32,
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
  part: i32,
  parts: i32,
): void {
  const cpg = cin / groups;
  const opg = cout / groups;
  const depth = cpg * kh * kw;
  const area = oh * ow;
  const packed = roundUp(opg, MR) * depth;
  const cols = min(COLS, roundUp((area + parts - 1) / parts, NR));
  const blocks = (area + cols - 1) / cols;
  const own = scratch + <usize>part * <usize>stride;
  const tmp = own + <usize>stride - TILE;
  for (let i = part; i < n * groups * blocks; i += parts) {
    const b = i / (groups * blocks);
    const g = (i / blocks) % groups;
    const j0 = (i % blocks) * cols;
    const nc = min(cols, area - j0);
    const src = at(x, (b * cin + g * cpg) * h * w);
    const dst = at(out, (b * cout + g * opg) * area);
    for (let o = 0; o < opg; o++) {
      const v: f32 = bias ? load<f32>(at(bias, g * opg + o)) : 0;
      const row = at(dst, o * area + j0);
      for (let t = 0; t < nc; t++) store<f32>(at(row, t), v);
    }
    im2colPack(src, h, w, kh, kw, sh, sw, pt, pl, dh, dw, ow, depth, j0, nc, own);
    gemm(at(wp, g * packed), own, at(dst, j0), area, opg, nc, depth, tmp);
  }
}
