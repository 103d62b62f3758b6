// Seeded tensors and the comparisons that make sure two implementations computed the same thing
// before their times are put side by side.
import { Rng } from '@kiln/core';

/** `count` floats, uniform on [-1, 1), from the stream `name` under `seed`. */
export function seededUniform(count, name, seed = 7) {
  const rng = Rng.forTensor(seed, name);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = 2 * rng.uniform() - 1;
  return out;
}

export const sizeOf = (shape) => shape.reduce((a, b) => a * b, 1);

/**
 * The largest elementwise difference, relative to the largest magnitude of the reference (a
 * per-element relative error would blow up at outputs near zero, which ReLU nets are full of).
 */
export function relativeDiff(actual, expected) {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: ${actual.length} vs ${expected.length}`);
  }
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  return worst / (scale || 1);
}

/** NCHW data to NHWC (tfjs's layout), once, outside any timed region. */
export function nchwToNhwc(data, [n, c, h, w]) {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          out[((b * h + y) * w + x) * c + ch] = data[((b * c + ch) * h + y) * w + x];
  return out;
}

/** NHWC data back to NCHW, to compare tfjs's output with Kiln's. */
export function nhwcToNchw(data, [n, h, w, c]) {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++)
          out[((b * c + ch) * h + y) * w + x] = data[((b * h + y) * w + x) * c + ch];
  return out;
}
