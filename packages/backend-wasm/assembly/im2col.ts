// im2col written straight into packed-B panels. Row p = (c * kh + i) * kw + j of the column
// matrix holds input pixel (oy * sh - pt + i * dh, ox * sw - pl + j * dw) of channel c for output
// position oy * ow + ox; positions in the padding hold 0. Only columns [j0, j0 + nc) are packed,
// in the layout packB gives a k x nc matrix, so the whole column matrix never exists.
//
// Each row is walked one output row at a time: a run of positions shares its input row y, and
// splits into a left padding part, a part read from the input and a right padding part, so the
// copy loop tests no bounds.
import { NR, at, depthBlock, roundUp } from './layout';

/** ceil(a / b) for b > 0 (i32 division truncates toward zero, which is ceil below zero). */
function ceilDiv(a: i32, b: i32): i32 {
  return a >= 0 ? (a + b - 1) / b : a / b;
}

/**
 * Where a run of `run` output positions from column ox, reading input row y (of h) at columns
 * ox * sw + dx .., starts to lie inside the input: the end of its left padding part. A run on a
 * padding row lies wholly outside (run).
 */
export function insideFrom(y: i32, h: i32, run: i32, ox: i32, dx: i32, sw: i32): i32 {
  if (y < 0 || y >= h) return run;
  return min(run, max(0, ceilDiv(-dx, sw) - ox));
}

/** Where that run leaves the input (row width w): the start of its right padding part. */
export function insideTo(
  y: i32,
  h: i32,
  lo: i32,
  run: i32,
  ox: i32,
  dx: i32,
  sw: i32,
  w: i32,
): i32 {
  if (y < 0 || y >= h) return run;
  return max(lo, min(run, ceilDiv(w - dx, sw) - ox));
}

export function im2colPack(
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
  k: i32,
  j0: i32,
  nc: i32,
  dst: usize,
): void {
  const np = roundUp(nc, NR);
  const kb = depthBlock(k);
  const taps = kh * kw;
  const oy0 = j0 / ow;
  const ox0 = j0 - oy0 * ow;
  const step = (<usize>sw) << 2;
  for (let p = 0; p < k; p++) {
    const c = p / taps;
    const i = (p - c * taps) / kw;
    const j = p - c * taps - i * kw;
    const plane = at(src, c * h * w);
    const dy = i * dh - pt;
    const dx = j * dw - pl;
    const b0 = (p / kb) * kb;
    const kc = min(kb, k - b0);
    // Column q of this row lives in panel q / NR, lane q % NR; panels are NR * kc floats apart.
    let d = at(dst, b0 * np + (p - b0) * NR);
    const skip = (<usize>(NR * kc - NR)) << 2;
    let lane = 0;
    let oy = oy0;
    let ox = ox0;
    let left = nc;
    while (left > 0) {
      const run = min(ow - ox, left);
      const y = oy * sh + dy;
      const lo = insideFrom(y, h, run, ox, dx, sw);
      const hi = insideTo(y, h, lo, run, ox, dx, sw, w);
      let s = at(plane, y * w + (ox + lo) * sw + dx);
      for (let t = 0; t < lo; t++) {
        store<f32>(d, 0);
        d += 4;
        if (++lane == NR) {
          lane = 0;
          d += skip;
        }
      }
      let t = lo;
      if (sw == 1) {
        // Contiguous input: four lanes per store once the lane is 0 or 4 (a half panel).
        for (; t < hi && (lane & 3) != 0; t++) {
          store<f32>(d, load<f32>(s));
          s += 4;
          d += 4;
          if (++lane == NR) {
            lane = 0;
            d += skip;
          }
        }
        for (; t + 4 <= hi; t += 4) {
          v128.store(d, v128.load(s));
          s += 16;
          d += 16;
          lane += 4;
          if (lane == NR) {
            lane = 0;
            d += skip;
          }
        }
      }
      for (; t < hi; t++) {
        store<f32>(d, load<f32>(s));
        s += step;
        d += 4;
        if (++lane == NR) {
          lane = 0;
          d += skip;
        }
      }
      for (let t = hi; t < run; t++) {
        store<f32>(d, 0);
        d += 4;
        if (++lane == NR) {
          lane = 0;
          d += skip;
        }
      }
      left -= run;
      ox += run;
      if (ox == ow) {
        ox = 0;
        oy++;
      }
    }
    // Zero the lanes past nc in the last panel: the GEMM reads whole panels.
    for (; lane > 0 && lane < NR; lane++) {
      store<f32>(d, 0);
      d += 4;
    }
  }
}
