// C[m x n] += A[m x k] . B[k x n] over packed operands (pack.ts), as in Goto's scheme: depth
// blocks of at most KC (depthBlock), column blocks of NC, row blocks of MC, and a 4 x 8 register
// tile held in eight f32x4 accumulators. Per step of depth the tile reads two B vectors and four
// splatted A values and issues eight multiplies and eight adds (no FMA: relaxed SIMD is not on by
// default). The tile is written out inside the loop nest: as a function binaryen would not inline
// it, and the call costs V8 its register assignment. Larger tiles (6 x 8, 4 x 16) and a loop
// unrolled twice were tried: binaryen hoists the loads, and V8 then spills accumulators.
import { MC, MR, NB, NC, NR, at, depthBlock, roundUp } from './layout';
import { packB } from './pack';

/** Adds (or, without `add`, writes) the `rows` x `cols` corner of the tile at `tmp` to C. */
function edgeTile(tmp: usize, c: usize, ldc: i32, rows: i32, cols: i32, add: bool): void {
  for (let r = 0; r < rows; r++) {
    const cr = at(c, r * ldc);
    for (let j = 0; j < cols; j++) {
      const v = load<f32>(at(tmp, r * NR + j));
      store<f32>(at(cr, j), add ? load<f32>(at(cr, j)) + v : v);
    }
  }
}

/**
 * C += A . B. `pa` is A packed by packA (m x k), `pb` is B packed by packB (k x n); C is
 * row-major with row stride `ldc` elements. `tmp` is MR * NR floats of scratch for edge tiles.
 */
export function gemm(
  pa: usize,
  pb: usize,
  c: usize,
  ldc: i32,
  m: i32,
  n: i32,
  k: i32,
  tmp: usize,
): void {
  gemmColumns(pa, pb, c, ldc, m, n, k, tmp, 0, n);
}

/** gemm restricted to the columns [from, to) of C; `from` is a multiple of NR. */
export function gemmColumns(
  pa: usize,
  pb: usize,
  c: usize,
  ldc: i32,
  m: i32,
  n: i32,
  k: i32,
  tmp: usize,
  from: i32,
  to: i32,
): void {
  gemmBlocks(pa, pb, c, ldc, m, n, k, tmp, 0, m, from, to, true);
}

/**
 * gemm restricted to rows [rowFrom, rowTo) and columns [from, to) of C (rowFrom a multiple of
 * MR, from of NR); with `accumulate` false C = A . B there: the first depth block writes C
 * instead of adding to it, so C needs no zeroing first.
 */
export function gemmBlocks(
  pa: usize,
  pb: usize,
  c: usize,
  ldc: i32,
  m: i32,
  n: i32,
  k: i32,
  tmp: usize,
  rowFrom: i32,
  rowTo: i32,
  from: i32,
  to: i32,
  accumulate: bool,
): void {
  const mp = roundUp(m, MR);
  const np = roundUp(n, NR);
  const row = (<usize>ldc) << 2;
  const kb = depthBlock(k);
  for (let p0 = 0; p0 < k; p0 += kb) {
    const kc = min(kb, k - p0);
    const add = accumulate || p0 > 0;
    for (let j0 = from; j0 < to; j0 += NC) {
      const jEnd = min(j0 + NC, to);
      for (let i0 = rowFrom; i0 < rowTo; i0 += MC) {
        const iEnd = min(i0 + MC, rowTo);
        for (let jr = j0; jr < jEnd; jr += NR) {
          const bp = at(pb, p0 * np + jr * kc);
          const cols = min(NR, n - jr);
          for (let ir = i0; ir < iEnd; ir += MR) {
            let a = at(pa, p0 * mp + ir * kc);
            let b = bp;
            let c00 = f32x4.splat(0);
            let c01 = f32x4.splat(0);
            let c10 = f32x4.splat(0);
            let c11 = f32x4.splat(0);
            let c20 = f32x4.splat(0);
            let c21 = f32x4.splat(0);
            let c30 = f32x4.splat(0);
            let c31 = f32x4.splat(0);
            // One induction variable: the loop ends when A's panel does.
            const aEnd = a + ((<usize>(kc * MR)) << 2);
            while (a < aEnd) {
              const b0 = v128.load(b);
              const b1 = v128.load(b, 16);
              let av = v128.load32_splat(a);
              c00 = f32x4.add(c00, f32x4.mul(av, b0));
              c01 = f32x4.add(c01, f32x4.mul(av, b1));
              av = v128.load32_splat(a, 4);
              c10 = f32x4.add(c10, f32x4.mul(av, b0));
              c11 = f32x4.add(c11, f32x4.mul(av, b1));
              av = v128.load32_splat(a, 8);
              c20 = f32x4.add(c20, f32x4.mul(av, b0));
              c21 = f32x4.add(c21, f32x4.mul(av, b1));
              av = v128.load32_splat(a, 12);
              c30 = f32x4.add(c30, f32x4.mul(av, b0));
              c31 = f32x4.add(c31, f32x4.mul(av, b1));
              a += MR << 2;
              b += NR << 2;
            }
            let cp = at(c, ir * ldc + jr);
            const rows = min(MR, m - ir);
            if (rows == MR && cols == NR && !add) {
              v128.store(cp, c00);
              v128.store(cp, c01, 16);
              cp += row;
              v128.store(cp, c10);
              v128.store(cp, c11, 16);
              cp += row;
              v128.store(cp, c20);
              v128.store(cp, c21, 16);
              cp += row;
              v128.store(cp, c30);
              v128.store(cp, c31, 16);
            } else if (rows == MR && cols == NR) {
              v128.store(cp, f32x4.add(v128.load(cp), c00));
              v128.store(cp, f32x4.add(v128.load(cp, 16), c01), 16);
              cp += row;
              v128.store(cp, f32x4.add(v128.load(cp), c10));
              v128.store(cp, f32x4.add(v128.load(cp, 16), c11), 16);
              cp += row;
              v128.store(cp, f32x4.add(v128.load(cp), c20));
              v128.store(cp, f32x4.add(v128.load(cp, 16), c21), 16);
              cp += row;
              v128.store(cp, f32x4.add(v128.load(cp), c30));
              v128.store(cp, f32x4.add(v128.load(cp, 16), c31), 16);
            } else {
              v128.store(tmp, c00);
              v128.store(tmp, c01, 16);
              v128.store(tmp, c10, 32);
              v128.store(tmp, c11, 48);
              v128.store(tmp, c20, 64);
              v128.store(tmp, c21, 80);
              v128.store(tmp, c30, 96);
              v128.store(tmp, c31, 112);
              edgeTile(tmp, cp, ldc, rows, cols, add);
            }
          }
        }
      }
    }
  }
}

/**
 * C += A . B with B row-major as it lies (row stride `rs` elements), packed block by block
 * into `buf` (at most KC x NB floats) right before the blocks' products: each block is then
 * read from L2, where packing all of B first leaves it in L3 or memory when B is large.
 */
export function gemmRaw(
  pa: usize,
  b: usize,
  rs: i32,
  c: usize,
  ldc: i32,
  m: i32,
  n: i32,
  k: i32,
  buf: usize,
  tmp: usize,
): void {
  const mp = roundUp(m, MR);
  const kb = depthBlock(k);
  for (let p0 = 0; p0 < k; p0 += kb) {
    const kc = min(kb, k - p0);
    // A's depth block p0 is, on its own, a packed m x kc matrix.
    const a = at(pa, p0 * mp);
    for (let j0 = 0; j0 < n; j0 += NB) {
      const nb = min(NB, n - j0);
      packB(at(b, p0 * rs + j0), rs, 1, kc, nb, buf, 0, nb);
      gemmBlocks(a, buf, at(c, j0), ldc, m, nb, kc, tmp, 0, m, 0, nb, true);
    }
  }
}
