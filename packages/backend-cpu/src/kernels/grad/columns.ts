/**
 * The column matrix of one image's channel group as a plain row-major [C·kh·kw, OH·OW] array,
 * and its adjoint. The forward conv never builds this matrix (it packs im2col straight into GEMM
 * panels); the backward pass needs it in two other layouts: read transposed for dL/dW, and
 * scattered back for dL/dx. Row (c·kh + i)·kw + j, column oy·OW + ox is input pixel
 * (oy·sh − pt + i·dh, ox·sw − pl + j·dw) of channel c, zero in the padding.
 */
import type { ConvGeometry } from '../im2col.js';

/** Writes the column matrix of the channels starting at src[off] into `cols`. */
export function im2colPlain(
  src: Float32Array,
  off: number,
  g: ConvGeometry,
  cols: Float32Array,
): void {
  const { channels, height: h, width: w, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow } = g;
  let o = 0;
  for (let c = 0; c < channels; c++) {
    const plane = off + c * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let oy = 0; oy < oh; oy++) {
          const y = oy * sh - pt + i * dh;
          if (y < 0 || y >= h) {
            cols.fill(0, o, o + ow);
            o += ow;
            continue;
          }
          const row = plane + y * w;
          for (let ox = 0; ox < ow; ox++) {
            const x = ox * sw - pl + j * dw;
            cols[o++] = x >= 0 && x < w ? src[row + x]! : 0;
          }
        }
      }
    }
  }
}

/** The adjoint of im2colPlain: adds each column entry back into its input pixel of dst. */
export function col2imAdd(
  cols: Float32Array,
  g: ConvGeometry,
  dst: Float32Array,
  off: number,
): void {
  const { channels, height: h, width: w, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow } = g;
  let o = 0;
  for (let c = 0; c < channels; c++) {
    const plane = off + c * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let oy = 0; oy < oh; oy++) {
          const y = oy * sh - pt + i * dh;
          if (y < 0 || y >= h) {
            o += ow;
            continue;
          }
          const row = plane + y * w;
          for (let ox = 0; ox < ow; ox++, o++) {
            const x = ox * sw - pl + j * dw;
            if (x >= 0 && x < w) dst[row + x]! += cols[o]!;
          }
        }
      }
    }
  }
}
