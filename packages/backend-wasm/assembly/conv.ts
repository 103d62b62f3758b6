// Convolution as GEMM per image and channel group: out[g] = W[g] . im2col(x[g]). W[g] is packed
// once at compile time (packA, opg x depth, groups back to back); the column matrix is packed
// at most COLS output positions at a time into scratch, which holds depth x COLS floats.
// The bias initialises the output, so it is added exactly once. A 3 x 3 stride-1 conv with
// enough channels runs as Winograd instead (winograd.ts; the session picks, task.ts dispatches).
//
// A block of work is one image, group and run of output positions, and, when those are too few
// to give every thread two blocks (a 1 x 1 head on a 1 x 1 map), a band of output channels too:
// each band then packs its own copy of the columns, which costs depth x positions copies
// against band x depth x positions multiply-adds.
import { gemmBlocks } from './gemm';
import { im2colPack } from './im2col';
import { packB } from './pack';
import { MR, NR, TILE, at, roundUp } from './layout';
import { firstBlock, nextBlock } from './schedule';

/** Output positions per packed column block (the TypeScript side sizes scratch with it). */
export const COLS: i32 = 256;

/**
 * The convolution, or the share `part` of `parts` of it, its blocks dealt out in turn (block
 * i to part i % parts). Each part owns `stride` bytes of scratch from scratch + part * stride,
 * the edge tile of the GEMM in its last TILE bytes.
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
  convBlocks(
    x,
    wp,
    bias,
    out,
    scratch,
    stride,
    n,
    cin,
    h,
    w,
    cout,
    groups,
    kh,
    kw,
    sh,
    sw,
    pt,
    pl,
    dh,
    dw,
    oh,
    ow,
    0,
    part,
    parts,
  );
}

/** conv, its blocks claimed through the counter word at `counter` (schedule.ts). */
export function convBlocks(
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
  counter: usize,
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
  // Channel bands: enough that every part gets two blocks, each band at least 4 MR rows.
  const runs = n * groups * blocks;
  const wanted = runs >= 2 * parts ? 1 : (2 * parts + runs - 1) / runs;
  const bands = max(1, min(wanted, opg / (4 * MR)));
  const band = roundUp((opg + bands - 1) / bands, MR);
  const pointwise = kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0;
  const own = scratch + <usize>part * <usize>stride;
  const tmp = own + <usize>stride - TILE;
  for (let i = firstBlock(counter, part); i < runs * bands; i = nextBlock(counter, i, parts)) {
    const r = i / bands;
    const o0 = (i % bands) * band;
    const o1 = min(opg, o0 + band);
    const b = r / (groups * blocks);
    const g = (r / blocks) % groups;
    const j0 = (r % blocks) * cols;
    const nc = min(cols, area - j0);
    const src = at(x, (b * cin + g * cpg) * h * w);
    const dst = at(out, (b * cout + g * opg) * area);
    if (bias) {
      for (let o = o0; o < o1; o++) {
        const v = load<f32>(at(bias, g * opg + o));
        const row = at(dst, o * area + j0);
        for (let t = 0; t < nc; t++) store<f32>(at(row, t), v);
      }
    }
    if (pointwise) {
      // A 1 x 1 convolution's column matrix is its input: channels x positions, row-major.
      packB(at(src, j0), area, 1, depth, nc, own, 0, nc);
    } else {
      im2colPack(src, h, w, kh, kw, sh, sw, pt, pl, dh, dw, ow, depth, j0, nc, own);
    }
    // Without a bias the first depth block writes the output: no zeroing pass.
    const c = at(dst, j0);
    gemmBlocks(at(wp, g * packed), own, c, area, opg, nc, depth, tmp, o0, o1, 0, nc, bias != 0);
  }
}
