// Average pooling over [planes, h, w]. The divisor is the window inside the padded input when
// includePad is set (PyTorch's count_include_pad), else the count of real elements.
import { at } from './layout';
import { first, last, span } from './pool';

export function avgpool(
  x: usize,
  out: usize,
  planes: i32,
  h: i32,
  w: i32,
  oh: i32,
  ow: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  pt: i32,
  pl: i32,
  pb: i32,
  pr: i32,
  includePad: i32,
): void {
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = at(x, p * h * w);
    for (let oy = 0; oy < oh; oy++) {
      const y0 = first(oy, sh, pt);
      const y1 = last(oy, sh, pt, kh, h);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = first(ox, sw, pl);
        const x1 = last(ox, sw, pl, kw, w);
        let s: f64 = 0;
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) s += <f64>load<f32>(at(plane, y * w + xx));
        }
        const count = includePad
          ? span(oy, sh, pt, kh, h, pb) * span(ox, sw, pl, kw, w, pr)
          : (y1 - y0) * (x1 - x0);
        store<f32>(at(out, o++), <f32>(s / <f64>count));
      }
    }
  }
}
