// im2col written straight into packed-B panels. Row p = (c * kh + i) * kw + j of the column
// matrix holds input pixel (oy * sh - pt + i * dh, ox * sw - pl + j * dw) of channel c for output
// position oy * ow + ox; positions in the padding hold 0. Only columns [j0, j0 + nc) are packed,
// in the layout packB gives a k x nc matrix, so the whole column matrix never exists.
import { KC, NR, at, roundUp } from './layout';

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
  const taps = kh * kw;
  const oy0 = j0 / ow;
  const ox0 = j0 - oy0 * ow;
  for (let p = 0; p < k; p++) {
    const c = p / taps;
    const i = (p - c * taps) / kw;
    const j = p - c * taps - i * kw;
    const plane = at(src, c * h * w);
    const dy = i * dh - pt;
    const dx = j * dw - pl;
    const kb = (p / KC) * KC;
    const kc = min(KC, k - kb);
    // Panel q of this row starts at element kb * np + q * NR * kc + (p - kb) * NR.
    const row = at(dst, kb * np + (p - kb) * NR);
    const panelBytes = (<usize>(NR * kc)) << 2;
    let oy = oy0;
    let ox = ox0;
    let y = oy * sh + dy;
    for (let jj = 0; jj < np; jj++) {
      let v: f32 = 0;
      if (jj < nc) {
        const x = ox * sw + dx;
        if (y >= 0 && y < h && x >= 0 && x < w) v = load<f32>(at(plane, y * w + x));
        if (++ox == ow) {
          ox = 0;
          oy++;
          y = oy * sh + dy;
        }
      }
      store<f32>(row + <usize>(jj >> 3) * panelBytes + ((<usize>(jj & 7)) << 2), v);
    }
  }
}
