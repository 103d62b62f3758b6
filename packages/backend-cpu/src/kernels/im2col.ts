/**
 * im2col, written straight into packed GEMM panels. Conceptually every receptive field of one
 * image (and one channel group) becomes a column, so a convolution is a GEMM: weights
 * [Cout, C*kh*kw] times columns [C*kh*kw, OH*OW]. Row (c*kh + i)*kw + j holds input pixel
 * (oy*sh - pt + i*dh, ox*sw - pl + j*dw) of channel c for output position oy*OW + ox; positions
 * in the padding hold 0. The column matrix is never built: `im2colBlock` writes one KC x NC
 * block of it in the B-panel layout the micro-kernel reads, which saves writing, re-reading and
 * re-packing a matrix that for VGG's first layers is over 100 MB.
 */
import { NR } from './micro-kernel.js';

export interface ConvGeometry {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly pt: number;
  readonly pl: number;
  readonly dh: number;
  readonly dw: number;
  readonly oh: number;
  readonly ow: number;
}

/**
 * Rows [p0, p0 + kc) and columns [j0, j0 + nc) of the column matrix of the channels starting at
 * src[off], as ceil(nc / NR) panels of [kc][NR] (the PackBlock contract of gemmPacking).
 */
export function im2colBlock(
  src: Float32Array,
  off: number,
  g: ConvGeometry,
  p0: number,
  kc: number,
  j0: number,
  nc: number,
  out: Float32Array,
): void {
  const { height: h, width: w, kh, kw, sh, sw, pt, pl, dh, dw, ow } = g;
  const taps = kh * kw;
  const panelStride = kc * NR;
  const oyStart = Math.floor(j0 / ow);
  const oxStart = j0 - oyStart * ow;
  for (let p = p0; p < p0 + kc; p++) {
    const c = Math.floor(p / taps);
    const i = Math.floor((p - c * taps) / kw);
    const j = p - c * taps - i * kw;
    const plane = off + c * h * w;
    const dy = i * dh - pt;
    const dx = j * dw - pl;
    // Walk the output positions row by row; `o + lane` is the slot of position j0 + done.
    let o = (p - p0) * NR;
    let lane = 0;
    let oy = oyStart;
    let ox = oxStart;
    let left = nc;
    while (left > 0) {
      const run = Math.min(ow - ox, left);
      // Positions t in [lo, hi) of this run read the input, at src[row + t*sw]; the others fall
      // in the padding. Splitting the run keeps bounds tests out of the copy loop.
      const y = oy * sh + dy;
      let lo = run;
      let hi = run;
      if (y >= 0 && y < h) {
        lo = Math.min(run, Math.max(0, Math.ceil(-dx / sw) - ox));
        hi = Math.max(lo, Math.min(run, Math.ceil((w - dx) / sw) - ox));
      }
      const row = plane + y * w + ox * sw + dx;
      let t = 0;
      for (; t < lo; t++) {
        out[o + lane] = 0;
        if (++lane === NR) {
          lane = 0;
          o += panelStride;
        }
      }
      for (; t < hi; t++) {
        out[o + lane] = src[row + t * sw]!;
        if (++lane === NR) {
          lane = 0;
          o += panelStride;
        }
      }
      for (; t < run; t++) {
        out[o + lane] = 0;
        if (++lane === NR) {
          lane = 0;
          o += panelStride;
        }
      }
      left -= run;
      ox += run;
      if (ox === ow) {
        ox = 0;
        oy++;
      }
    }
    // Zero the lanes past nc in the last panel: the micro-kernel reads whole panels.
    if (lane > 0) for (; lane < NR; lane++) out[o + lane] = 0;
  }
}
