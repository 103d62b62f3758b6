// Convolution 3 x 3, stride 1, dilation 1, one group, by Winograd's F(2 x 2, 3 x 3): each 2 x 2
// tile of the output comes from a 4 x 4 patch d of the input as Y = A^T [(G g G^T) . (B^T d B)] A,
// 16 products per tile and channel pair instead of 36. Summed over input channels, the 16
// element-wise products become 16 GEMMs: M[xi] (cout x tiles) = U[xi] (cout x cin) . V[xi]
// (cin x tiles), with U = G g G^T packed once at compile time (src/kernels/winograd.ts). The
// transforms use only 0, +-1 and +-1/2, so rounding stays close to the direct sum. The driver
// below also runs F(4 x 4, 3 x 3) (winograd4.ts: 36 GEMMs, a quarter of the direct products),
// which the session picks for larger maps.
//
// Tiles are numbered row by row, each row padded to a multiple of four tiles so the transforms
// work on four horizontally adjacent tiles per f32x4; a block of work is `rows` tile rows of one
// image, and its V and M live in the part's scratch: V as 16 (36) packed-B matrices (cin x nt),
// M as 16 (36) row-major matrices (cout x ntp).
import { gemmBlocks } from './gemm';
import { MR, NR, TILE, at, packedBAt, roundUp } from './layout';
import { patchRow } from './patch';
import { firstBlock, nextBlock } from './schedule';
import { inputTransform4, outputTransform4 } from './winograd4';

/** Inputs one patch row of four tiles spans. */
const PATCH: i32 = 10;

/** Writes V for tiles [t0, t0 + nt) of channel plane `plane` at row `c` of each V[xi]. */
function inputTransform(
  plane: usize,
  h: i32,
  w: i32,
  pt: i32,
  pl: i32,
  twp: i32,
  ty0: i32,
  nt: i32,
  v: usize,
  vsize: usize,
  c: i32,
  cin: i32,
  buf: usize,
  zeros: usize,
): void {
  for (let j = 0; j < nt; j += 4) {
    const ty = ty0 + j / twp;
    const tx = j % twp;
    const y0 = 2 * ty - pt;
    const x0 = 2 * tx - pl;
    const inside = x0 >= 0 && x0 + PATCH <= w;
    const d = packedBAt(v, cin, nt, c, j);
    // Rows 2 and 0 of the patches give V[0..3], then row 1 gives V[4..11], row 3 V[12..15]:
    // at most eight transformed rows are live at once.
    let r = patchRow(plane, h, w, y0 + 2, x0, PATCH, inside, buf, zeros);
    let lo = v128.load(r);
    let hi = v128.load(r, 16);
    let tail = v128.load64_zero(r, 32);
    let e = i32x4.shuffle(lo, hi, 0, 2, 4, 6);
    let o = i32x4.shuffle(lo, hi, 1, 3, 5, 7);
    let q2 = i32x4.shuffle(e, tail, 1, 2, 3, 4);
    let q3 = i32x4.shuffle(o, tail, 1, 2, 3, 5);
    // d B over one row: columns (e, o, q2, q3) become (e - q2, o + q2, q2 - o, o - q3).
    const c0 = f32x4.sub(e, q2);
    const c1 = f32x4.add(o, q2);
    const c2 = f32x4.sub(q2, o);
    const c3 = f32x4.sub(o, q3);
    r = patchRow(plane, h, w, y0, x0, PATCH, inside, buf, zeros);
    lo = v128.load(r);
    hi = v128.load(r, 16);
    tail = v128.load64_zero(r, 32);
    e = i32x4.shuffle(lo, hi, 0, 2, 4, 6);
    o = i32x4.shuffle(lo, hi, 1, 3, 5, 7);
    q2 = i32x4.shuffle(e, tail, 1, 2, 3, 4);
    q3 = i32x4.shuffle(o, tail, 1, 2, 3, 5);
    // B^T over the rows (r0, r1, r2, r3): (r0 - r2, r1 + r2, r2 - r1, r1 - r3).
    v128.store(d, f32x4.sub(f32x4.sub(e, q2), c0));
    v128.store(d + vsize, f32x4.sub(f32x4.add(o, q2), c1));
    v128.store(d + 2 * vsize, f32x4.sub(f32x4.sub(q2, o), c2));
    v128.store(d + 3 * vsize, f32x4.sub(f32x4.sub(o, q3), c3));
    r = patchRow(plane, h, w, y0 + 1, x0, PATCH, inside, buf, zeros);
    lo = v128.load(r);
    hi = v128.load(r, 16);
    tail = v128.load64_zero(r, 32);
    e = i32x4.shuffle(lo, hi, 0, 2, 4, 6);
    o = i32x4.shuffle(lo, hi, 1, 3, 5, 7);
    q2 = i32x4.shuffle(e, tail, 1, 2, 3, 4);
    q3 = i32x4.shuffle(o, tail, 1, 2, 3, 5);
    const b0 = f32x4.sub(e, q2);
    const b1 = f32x4.add(o, q2);
    const b2 = f32x4.sub(q2, o);
    const b3 = f32x4.sub(o, q3);
    v128.store(d + 4 * vsize, f32x4.add(b0, c0));
    v128.store(d + 5 * vsize, f32x4.add(b1, c1));
    v128.store(d + 6 * vsize, f32x4.add(b2, c2));
    v128.store(d + 7 * vsize, f32x4.add(b3, c3));
    v128.store(d + 8 * vsize, f32x4.sub(c0, b0));
    v128.store(d + 9 * vsize, f32x4.sub(c1, b1));
    v128.store(d + 10 * vsize, f32x4.sub(c2, b2));
    v128.store(d + 11 * vsize, f32x4.sub(c3, b3));
    r = patchRow(plane, h, w, y0 + 3, x0, PATCH, inside, buf, zeros);
    lo = v128.load(r);
    hi = v128.load(r, 16);
    tail = v128.load64_zero(r, 32);
    e = i32x4.shuffle(lo, hi, 0, 2, 4, 6);
    o = i32x4.shuffle(lo, hi, 1, 3, 5, 7);
    q2 = i32x4.shuffle(e, tail, 1, 2, 3, 4);
    q3 = i32x4.shuffle(o, tail, 1, 2, 3, 5);
    v128.store(d + 12 * vsize, f32x4.sub(b0, f32x4.sub(e, q2)));
    v128.store(d + 13 * vsize, f32x4.sub(b1, f32x4.add(o, q2)));
    v128.store(d + 14 * vsize, f32x4.sub(b2, f32x4.sub(q2, o)));
    v128.store(d + 15 * vsize, f32x4.sub(b3, f32x4.sub(o, q3)));
  }
}

/**
 * Y = A^T M A for tiles [0, nt) of the block and every output channel, plus the bias, written
 * to the output planes at `out` (the rows ty0 ...).
 */
function outputTransform(
  m: usize,
  msize: usize,
  ntp: i32,
  nt: i32,
  twp: i32,
  ty0: i32,
  bias: usize,
  out: usize,
  cout: i32,
  oh: i32,
  ow: i32,
  buf: usize,
): void {
  const area = oh * ow;
  for (let oc = 0; oc < cout; oc++) {
    const b = f32x4.splat(bias ? load<f32>(at(bias, oc)) : 0);
    const plane = at(out, oc * area);
    let src = at(m, oc * ntp);
    for (let j = 0; j < nt; j += 4) {
      const y = 2 * (ty0 + j / twp);
      const x = 2 * (j % twp);
      // A^T over each row i of M: (m0 + m1 + m2, m1 - m2 - m3), then over the rows.
      let m0 = v128.load(src);
      let m1 = v128.load(src + msize);
      let m2 = v128.load(src + 2 * msize);
      let m3 = v128.load(src + 3 * msize);
      const s0 = f32x4.add(f32x4.add(m0, m1), m2);
      const s1 = f32x4.sub(f32x4.sub(m1, m2), m3);
      m0 = v128.load(src + 4 * msize);
      m1 = v128.load(src + 5 * msize);
      m2 = v128.load(src + 6 * msize);
      m3 = v128.load(src + 7 * msize);
      const p0 = f32x4.add(f32x4.add(m0, m1), m2);
      const p1 = f32x4.sub(f32x4.sub(m1, m2), m3);
      m0 = v128.load(src + 8 * msize);
      m1 = v128.load(src + 9 * msize);
      m2 = v128.load(src + 10 * msize);
      m3 = v128.load(src + 11 * msize);
      const q0 = f32x4.add(f32x4.add(m0, m1), m2);
      const q1 = f32x4.sub(f32x4.sub(m1, m2), m3);
      m0 = v128.load(src + 12 * msize);
      m1 = v128.load(src + 13 * msize);
      m2 = v128.load(src + 14 * msize);
      m3 = v128.load(src + 15 * msize);
      const y00 = f32x4.add(f32x4.add(f32x4.add(s0, p0), q0), b);
      const y01 = f32x4.add(f32x4.add(f32x4.add(s1, p1), q1), b);
      const y10 = f32x4.add(f32x4.sub(f32x4.sub(p0, q0), f32x4.add(f32x4.add(m0, m1), m2)), b);
      const y11 = f32x4.add(f32x4.sub(f32x4.sub(p1, q1), f32x4.sub(f32x4.sub(m1, m2), m3)), b);
      src += 16;
      // Row y of the four tiles: (y00, y01) interleaved; row y + 1: (y10, y11).
      const top0 = i32x4.shuffle(y00, y01, 0, 4, 1, 5);
      const top1 = i32x4.shuffle(y00, y01, 2, 6, 3, 7);
      const bot0 = i32x4.shuffle(y10, y11, 0, 4, 1, 5);
      const bot1 = i32x4.shuffle(y10, y11, 2, 6, 3, 7);
      const dst = at(plane, y * ow + x);
      if (x + 8 <= ow && y + 2 <= oh) {
        v128.store(dst, top0);
        v128.store(dst, top1, 16);
        v128.store(at(dst, ow), bot0);
        v128.store(at(dst, ow), bot1, 16);
      } else if (y < oh) {
        // The right or bottom edge: stage both rows and copy what lies inside.
        v128.store(buf, top0);
        v128.store(buf, top1, 16);
        v128.store(buf, bot0, 32);
        v128.store(buf, bot1, 48);
        const cols = min(8, ow - x);
        for (let t = 0; t < cols; t++) store<f32>(at(dst, t), load<f32>(at(buf, t)));
        if (y + 1 < oh) {
          for (let t = 0; t < cols; t++) store<f32>(at(dst, ow + t), load<f32>(at(buf, 8 + t)));
        }
      }
    }
  }
}

/**
 * The distance between consecutive V (or M) matrices of `bytes` each: an odd number of cache
 * lines. The transforms write (read) all 16 or 36 matrices at once; at a multiple of 4 KiB
 * apart those streams would all fall in one L1 set and evict each other (about half the input
 * transform's time went there), an odd number of lines apart they spread over the sets.
 */
function spread(bytes: usize): usize {
  return ((bytes + 127) & ~(<usize>127)) + 64;
}

/**
 * The convolution by F(tile x tile, 3 x 3), tile 2 or 4 (winograd4.ts), or the blocks of it
 * that part `part` of `parts` claims through the counter word at `counter`. `u` holds the
 * (tile + 2)^2 transformed weight matrices, each packed by packA (cout x cin); `rows` is the
 * most tile rows per block the part's scratch (`stride` bytes from scratch + part * stride, the
 * GEMM's edge tile in its last TILE bytes) was sized for: V, M, then SMALL bytes of buffers.
 */
export function winograd(
  x: usize,
  u: usize,
  bias: usize,
  out: usize,
  scratch: usize,
  stride: i32,
  n: i32,
  cin: i32,
  h: i32,
  w: i32,
  cout: i32,
  pt: i32,
  pl: i32,
  oh: i32,
  ow: i32,
  rows: i32,
  tile: i32,
  counter: usize,
  part: i32,
  parts: i32,
): void {
  const th = (oh + tile - 1) / tile;
  const twp = roundUp((ow + tile - 1) / tile, 4);
  const count = (tile + 2) * (tile + 2);
  let tileRows = min(rows, th);
  // Fewer rows per block when that gives each thread at least two blocks to claim.
  if (parts > 1 && n * ((th + tileRows - 1) / tileRows) < 2 * parts) {
    tileRows = max(1, (n * th + 2 * parts - 1) / (2 * parts));
  }
  const perImage = (th + tileRows - 1) / tileRows;
  const own = scratch + <usize>part * <usize>stride;
  const tmp = own + <usize>stride - TILE;
  const usize = (<usize>(roundUp(cout, MR) * cin)) << 2;
  const planeIn = h * w;
  for (let i = firstBlock(counter, part); i < n * perImage; i = nextBlock(counter, i, parts)) {
    const b = i / perImage;
    const ty0 = (i % perImage) * tileRows;
    const nt = min(tileRows, th - ty0) * twp;
    const ntp = roundUp(nt, NR);
    const vsize = spread((<usize>(cin * ntp)) << 2);
    const msize = spread((<usize>(cout * ntp)) << 2);
    const v = own;
    const m = v + <usize>count * vsize;
    // SMALL bytes: an edge buffer (64 floats), zeros (32 floats), the transforms' buffer.
    const buf = m + <usize>count * msize;
    const zeros = buf + 256;
    const between = zeros + 128;
    for (let z: usize = 0; z < 128; z += 16) v128.store(zeros + z, i32x4.splat(0));
    const image = at(x, b * cin * planeIn);
    for (let c = 0; c < cin; c++) {
      const plane = at(image, c * planeIn);
      if (tile == 4) {
        inputTransform4(plane, h, w, pt, pl, twp, ty0, ntp, v, vsize, c, cin, buf, zeros, between);
      } else {
        inputTransform(plane, h, w, pt, pl, twp, ty0, ntp, v, vsize, c, cin, buf, zeros);
      }
    }
    for (let xi = 0; xi < count; xi++) {
      const vx = v + <usize>xi * vsize;
      const mx = m + <usize>xi * msize;
      gemmBlocks(u + <usize>xi * usize, vx, mx, ntp, cout, ntp, cin, tmp, 0, cout, 0, ntp, false);
    }
    const dst = at(out, b * cout * oh * ow);
    if (tile == 4) {
      outputTransform4(m, msize, ntp, nt, twp, ty0, bias, dst, cout, oh, ow, buf, between);
    } else {
      outputTransform(m, msize, ntp, nt, twp, ty0, bias, dst, cout, oh, ow, buf);
    }
  }
}
