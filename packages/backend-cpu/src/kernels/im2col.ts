/**
 * im2col: lays out every receptive field of one image (and one channel group) as a column, so a
 * convolution becomes a GEMM: weights [Cout, C*kh*kw] times columns [C*kh*kw, OH*OW]. Row
 * (c*kh + i)*kw + j of the result holds input pixel (oy*sh - pt + i*dh, ox*sw - pl + j*dw) of
 * channel c for each output position; positions in the padding hold 0.
 */
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

/** Writes the columns of `g.channels` channels starting at src[off] into `col`. */
export function im2col(src: Float32Array, off: number, g: ConvGeometry, col: Float32Array): void {
  const { height: h, width: w, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow } = g;
  let o = 0;
  for (let c = 0; c < g.channels; c++) {
    const plane = off + c * h * w;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        for (let oy = 0; oy < oh; oy++) {
          const y = oy * sh - pt + i * dh;
          if (y < 0 || y >= h) {
            col.fill(0, o, o + ow);
            o += ow;
            continue;
          }
          const row = plane + y * w;
          const x0 = j * dw - pl;
          for (let ox = 0; ox < ow; ox++) {
            const x = x0 + ox * sw;
            col[o++] = x >= 0 && x < w ? src[row + x]! : 0;
          }
        }
      }
    }
  }
}
