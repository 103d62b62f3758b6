// Mean of each [h, w] map: `planes` maps of `area` elements; sums are float64.
import { at } from './layout';

export function globalAvgpool(x: usize, out: usize, planes: i32, area: i32): void {
  for (let p = 0; p < planes; p++) {
    let s: f64 = 0;
    const base = p * area;
    for (let i = base; i < base + area; i++) s += <f64>load<f32>(at(x, i));
    store<f32>(at(out, p), <f32>(s / <f64>area));
  }
}
