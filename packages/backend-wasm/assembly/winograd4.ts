// The transforms of Winograd F(4 x 4, 3 x 3), for assembly/winograd.ts's driver: each 4 x 4
// tile of the output comes from a 6 x 6 patch d of the input as Y = A^T [(G g G^T) . (B^T d B)] A
// with the interpolation points 0, 1, -1, 1/2, -2 and infinity:
//
//   B^T = [1 -1.5 -2    1.5 1   0]    A^T = [1 1  1 1     1 0]
//         [0 -1    0.5  2.5 1   0]          [0 1 -1 1/2  -2 0]
//         [0  1   -2.5  0.5 1   0]          [0 1  1 1/4   4 0]
//         [0 -2   -1    2   1   0]          [0 1 -1 1/8  -8 1]
//         [0  0.5 -1   -0.5 1   0]
//         [0  1   -1.5 -2   1.5 1]
//
// 36 products per tile and channel pair instead of 144 (F(2 x 2, 3 x 3): 64 for four of its
// tiles), at the price of rounding: the products are summed before the output transform takes
// their differences, so a float32 result strays further from the exact sum than F(2 x 2, 3 x 3)'s.
// These points keep it within about 6e-6 of the largest output over 512 input channels where
// the usual 0, +-1, +-2 reach 1.7e-5 (Barabasz et al. on the choice of points). A window of
// zeros no longer gives an exact 0 either, so training graphs stay on F(2 x 2, 3 x 3)
// (src/kernels/winograd.ts). G is applied at compile time.
//
// Four horizontally adjacent tiles share each f32x4, one per lane, as in F(2 x 2, 3 x 3): a
// patch row is 18 inputs, loaded as four vectors and transposed, so that vector c holds column
// c of the four patches. Both passes of a transform go through a small buffer `tmp` in L1
// instead of 36 live vectors, which V8's 16 registers cannot hold.
import { at, packedBAt } from './layout';
import { patchRow } from './patch';
import { Transpose } from './transpose';

/** Inputs one patch row of four tiles spans. */
const PATCH4: i32 = 18;

/**
 * The transforms' rows, as static methods only for AssemblyScript's @inline (a call per row
 * would cost more than the row): binaryen does not inline them by itself, having two callers
 * each.
 */
class Rows {
  /** B^T (d0 .. d5): the six results go to dst, dst + step .. dst + 5 * step. */
  @inline static input(
    d0: v128,
    d1: v128,
    d2: v128,
    d3: v128,
    d4: v128,
    d5: v128,
    dst: usize,
    step: usize,
  ): void {
    const h = f32x4.splat(1.5);
    const s = f32x4.sub(d3, d1);
    const c = f32x4.sub(d4, d2);
    v128.store(dst, f32x4.add(f32x4.add(f32x4.sub(d0, d2), c), f32x4.mul(h, s)));
    v128.store(dst + step, f32x4.add(f32x4.add(c, s), f32x4.mul(h, f32x4.add(d2, d3))));
    v128.store(dst + 2 * step, f32x4.add(f32x4.sub(c, s), f32x4.mul(h, f32x4.sub(d3, d2))));
    v128.store(dst + 3 * step, f32x4.add(f32x4.add(s, s), c));
    v128.store(dst + 4 * step, f32x4.sub(c, f32x4.mul(f32x4.splat(0.5), s)));
    v128.store(dst + 5 * step, f32x4.sub(f32x4.sub(f32x4.add(d5, f32x4.mul(h, c)), s), d3));
  }

  /** A^T (m0 .. m5): the four results go to dst, dst + step .. dst + 3 * step (+ `bias`). */
  @inline static output(
    m0: v128,
    m1: v128,
    m2: v128,
    m3: v128,
    m4: v128,
    m5: v128,
    bias: v128,
    withBias: bool,
    dst: usize,
    step: usize,
  ): void {
    const p = f32x4.add(m1, m2);
    const q = f32x4.sub(m1, m2);
    let y0 = f32x4.add(f32x4.add(f32x4.add(m0, p), m3), m4);
    let y1 = f32x4.sub(f32x4.add(q, f32x4.mul(f32x4.splat(0.5), m3)), f32x4.add(m4, m4));
    let y2 = f32x4.add(
      f32x4.add(p, f32x4.mul(f32x4.splat(0.25), m3)),
      f32x4.mul(f32x4.splat(4), m4),
    );
    let y3 = f32x4.sub(
      f32x4.add(q, f32x4.mul(f32x4.splat(0.125), m3)),
      f32x4.mul(f32x4.splat(8), m4),
    );
    y3 = f32x4.add(y3, m5);
    if (withBias) {
      y0 = f32x4.add(y0, bias);
      y1 = f32x4.add(y1, bias);
      y2 = f32x4.add(y2, bias);
      y3 = f32x4.add(y3, bias);
    }
    v128.store(dst, y0);
    v128.store(dst + step, y1);
    v128.store(dst + 2 * step, y2);
    v128.store(dst + 3 * step, y3);
  }
}

/**
 * Writes V for tiles [0, nt) of the block (four at a time) of channel plane `plane` at row `c`
 * of each V[xi], xi = 6 i + k; `tmp` holds 36 vectors between the two passes.
 */
export function inputTransform4(
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
  tmp: usize,
): void {
  for (let j = 0; j < nt; j += 4) {
    const y0 = 4 * (ty0 + j / twp) - pt;
    const x0 = 4 * (j % twp) - pl;
    const inside = x0 >= 0 && x0 + PATCH4 <= w;
    // d B over each patch row r; column k of the result goes to tmp[6 k + r].
    for (let r = 0; r < 6; r++) {
      const src = patchRow(plane, h, w, y0 + r, x0, PATCH4, inside, buf, zeros);
      const l0 = v128.load(src);
      const l1 = v128.load(src, 16);
      const l2 = v128.load(src, 32);
      const l3 = v128.load(src, 48);
      const t0 = i32x4.shuffle(l0, l1, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(l0, l1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(l2, l3, 0, 4, 1, 5);
      const t3 = i32x4.shuffle(l2, l3, 2, 6, 3, 7);
      const col0 = i32x4.shuffle(t0, t2, 0, 1, 4, 5);
      const col1 = i32x4.shuffle(t0, t2, 2, 3, 6, 7);
      const col2 = i32x4.shuffle(t1, t3, 0, 1, 4, 5);
      const col3 = i32x4.shuffle(t1, t3, 2, 3, 6, 7);
      // Columns 4 and 5 are columns 0 and 1 one tile on: shifted by a lane, inputs 16 and 17.
      const col4 = i32x4.shuffle(col0, v128.load32_zero(src, 64), 1, 2, 3, 4);
      const col5 = i32x4.shuffle(col1, v128.load32_zero(src, 68), 1, 2, 3, 4);
      Rows.input(col0, col1, col2, col3, col4, col5, tmp + ((<usize>r) << 4), 96);
    }
    // B^T over the rows: tmp[6 k .. 6 k + 5] gives V[6 i + k] for every i.
    const d = packedBAt(v, cin, nt, c, j);
    for (let k = 0; k < 6; k++) {
      const t = tmp + <usize>k * 96;
      Rows.input(
        v128.load(t),
        v128.load(t, 16),
        v128.load(t, 32),
        v128.load(t, 48),
        v128.load(t, 64),
        v128.load(t, 80),
        d + <usize>k * vsize,
        6 * vsize,
      );
    }
  }
}

/**
 * Y = A^T M A for tiles [0, nt) of the block and every output channel, plus the bias, written
 * to the output planes at `out` (the tile rows ty0 ...). `buf` holds 64 floats for edge tiles.
 */
export function outputTransform4(
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
  tmp: usize,
): void {
  const area = oh * ow;
  const zero = f32x4.splat(0);
  for (let oc = 0; oc < cout; oc++) {
    const b = f32x4.splat(bias ? load<f32>(at(bias, oc)) : 0);
    const plane = at(out, oc * area);
    let src = at(m, oc * ntp);
    for (let j = 0; j < nt; j += 4) {
      const y = 4 * (ty0 + j / twp);
      const x = 4 * (j % twp);
      // A^T over each row i of M (M[6 i .. 6 i + 5]): column c of the result to tmp[6 c + i].
      for (let i = 0; i < 6; i++) {
        const s = src + <usize>(6 * i) * msize;
        Rows.output(
          v128.load(s),
          v128.load(s + msize),
          v128.load(s + 2 * msize),
          v128.load(s + 3 * msize),
          v128.load(s + 4 * msize),
          v128.load(s + 5 * msize),
          zero,
          false,
          tmp + ((<usize>i) << 4),
          96,
        );
      }
      // A^T over the rows: column c gives Y[r][c] for every r, at tmp + 384 + 16 (4 r + c).
      for (let c = 0; c < 4; c++) {
        const t = tmp + <usize>c * 96;
        Rows.output(
          v128.load(t),
          v128.load(t, 16),
          v128.load(t, 32),
          v128.load(t, 48),
          v128.load(t, 64),
          v128.load(t, 80),
          b,
          true,
          tmp + 384 + ((<usize>c) << 4),
          64,
        );
      }
      src += 16;
      // Row y + r of the four tiles is Y[r][0 .. 3] transposed: 16 outputs from x.
      const rows = min(4, oh - y);
      const cols = min(16, ow - x);
      for (let r = 0; r < rows; r++) {
        const yr = tmp + 384 + <usize>(r * 64);
        const dst = at(plane, (y + r) * ow + x);
        const a0 = v128.load(yr);
        const a1 = v128.load(yr, 16);
        const a2 = v128.load(yr, 32);
        const a3 = v128.load(yr, 48);
        if (cols == 16) {
          Transpose.store(a0, a1, a2, a3, dst, 16);
        } else {
          Transpose.store(a0, a1, a2, a3, buf, 16);
          for (let t = 0; t < cols; t++) store<f32>(at(dst, t), load<f32>(at(buf, t)));
        }
      }
    }
  }
}
