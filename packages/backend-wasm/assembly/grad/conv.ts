// Backward kernels of conv, per image and channel group, through the packed GEMM. With C_g the
// column matrix of x's group g ([depth = cin/groups·kh·kw, area = oh·ow], ./columns.ts) and
// dy_g [opg, area]:
// - dL/dW_g [opg, depth] = Σ_images dy_g · C_gᵀ;
// - dL/dx: the column gradient W_gᵀ · dy_g [depth, area], scattered back by col2im. W_gᵀ is
//   packed once per weight update (packA, depth x opg, groups back to back).
// Both walk the output positions in blocks of at most COLS (the GEMM depth of dL/dW, the GEMM
// width of dL/dx), so scratch stays small whatever the image size.
import { COLS } from '../conv';
import { gemm } from '../gemm';
import { MR, NR, TILE, at, roundUp } from '../layout';
import { packA, packB } from '../pack';
import { col2imAdd, im2colRows } from './columns';

/** Positions per block: at most COLS, the area cut into equal blocks (no short remainder). */
function blockCols(area: i32): i32 {
  const blocks = (area + COLS - 1) / COLS;
  return (area + blocks - 1) / blocks;
}

/**
 * dL/dW, or the share `part` of `parts` of it: a band of the depth columns, NR-aligned, over
 * every image and group. Each part owns `stride` bytes of scratch from scratch + part * stride:
 * dy_g's block packed as A, the band's rows of the column block, those packed transposed as B,
 * and the GEMM's edge tile in the last TILE bytes.
 */
export function convGradWeight(
  dy: usize,
  x: usize,
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
  const band = roundUp((depth + parts - 1) / parts, NR);
  const d0 = part * band;
  const d1 = min(depth, d0 + band);
  if (d0 >= d1) return;
  const cols = blockCols(area);
  const pa = scratch + <usize>part * <usize>stride;
  const rows = pa + ((<usize>(roundUp(opg, MR) * cols)) << 2);
  const pb = rows + ((<usize>(depth * cols)) << 2);
  const tmp = pa + <usize>stride - TILE;
  const bytes = (<usize>(d1 - d0)) << 2;
  for (let o = 0; o < cout; o++) memory.fill(at(out, o * depth + d0), 0, bytes);
  for (let b = 0; b < n; b++) {
    for (let g = 0; g < groups; g++) {
      const src = at(x, (b * cin + g * cpg) * h * w);
      const grad = at(dy, (b * cout + g * opg) * area);
      const dst = at(out, g * opg * depth + d0);
      for (let j0 = 0; j0 < area; j0 += cols) {
        const np = min(cols, area - j0);
        packA(at(grad, j0), area, 1, opg, np, pa);
        im2colRows(src, h, w, kh, kw, sh, sw, pt, pl, dh, dw, ow, d0, d1, j0, np, rows);
        // colsᵀ: element (position q, row d) is rows[(d − d0)·np + q].
        packB(rows, 1, np, np, d1 - d0, pb, 0, d1 - d0);
        gemm(pa, pb, dst, depth, opg, d1 - d0, np, tmp);
      }
    }
  }
}

/**
 * dL/dx, or the share `part` of `parts` of it: (image, group) pairs i ≡ part (mod parts), whose
 * input gradients never overlap. `wt` holds W_gᵀ packed per group. Each part's scratch holds
 * dy_g's block packed as B, then the column gradient block [depth, cols], then the edge tile.
 */
export function convGradInput(
  dy: usize,
  wt: usize,
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
  const packed = roundUp(depth, MR) * opg;
  const cols = blockCols(area);
  const pb = scratch + <usize>part * <usize>stride;
  const block = pb + ((<usize>(roundUp(cols, NR) * opg)) << 2);
  const tmp = pb + <usize>stride - TILE;
  for (let i = part; i < n * groups; i += parts) {
    const b = i / groups;
    const g = i - b * groups;
    const dst = at(out, (b * cin + g * cpg) * h * w);
    memory.fill(dst, 0, (<usize>(cpg * h * w)) << 2);
    const grad = at(dy, (b * cout + g * opg) * area);
    for (let j0 = 0; j0 < area; j0 += cols) {
      const nc = min(cols, area - j0);
      packB(at(grad, j0), area, 1, opg, nc, pb, 0, nc);
      memory.fill(block, 0, (<usize>(depth * nc)) << 2);
      gemm(at(wt, g * packed), pb, block, nc, depth, nc, opg, tmp);
      col2imAdd(block, h, w, kh, kw, sh, sw, pt, pl, dh, dw, ow, depth, j0, nc, dst);
    }
  }
}
