// Backward kernels of the activations: out = dy times the local derivative, written in the
// forward tensor `t` that core's op passes (x for relu, leaky relu and gelu; y for sigmoid, tanh
// and softmax). The derivatives that need more than a compare or a multiply are float64 inside,
// rounded once, as the CPU reference computes them.
import { erfc } from '../erfc';
import { at } from '../layout';

/** dy where x > 0, else 0 (PyTorch's subgradient at 0 is 0; a NaN x gives 0 too). */
export function reluGrad(dy: usize, x: usize, out: usize, len: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const keep = f32x4.gt(v128.load(at(x, i)), zero);
    v128.store(at(out, i), v128.and(v128.load(at(dy, i)), keep));
  }
  for (; i < len; i++) store<f32>(at(out, i), load<f32>(at(x, i)) > 0 ? load<f32>(at(dy, i)) : 0);
}

/** dy where x > 0, else alpha * dy. */
export function leakyReluGrad(dy: usize, x: usize, out: usize, len: i32, alpha: f32): void {
  const a = f32x4.splat(alpha);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const g = v128.load(at(dy, i));
    const keep = f32x4.gt(v128.load(at(x, i)), zero);
    v128.store(at(out, i), v128.bitselect(g, f32x4.mul(g, a), keep));
  }
  for (; i < len; i++) {
    const g = load<f32>(at(dy, i));
    store<f32>(at(out, i), load<f32>(at(x, i)) > 0 ? g : alpha * g);
  }
}

const SQRT_HALF: f64 = 0.7071067811865476;
const INV_SQRT_2PI: f64 = 0.3989422804014327;
const SQRT_2_OVER_PI: f64 = 0.7978845608028654;
const CUBIC: f64 = 0.044715;

/**
 * dy * gelu'(x). Exact form: d/dx x·Φ(x) = Φ(x) + x·φ(x). Tanh form, u = c(x + a x³):
 * d/dx ½x(1 + tanh u) = ½(1 + t) + ½x(1 − t²)·c(1 + 3a x²).
 */
export function geluGrad(dy: usize, x: usize, out: usize, len: i32, approximate: i32): void {
  for (let i = 0; i < len; i++) {
    const v = <f64>load<f32>(at(x, i));
    let d: f64;
    if (approximate) {
      const t = Math.tanh(SQRT_2_OVER_PI * (v + CUBIC * v * v * v));
      d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * CUBIC * v * v);
    } else {
      d = 0.5 * erfc(-v * SQRT_HALF) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
    }
    store<f32>(at(out, i), <f32>(<f64>load<f32>(at(dy, i)) * d));
  }
}

/** dy * y(1 - y). */
export function sigmoidGrad(dy: usize, y: usize, out: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const s = <f64>load<f32>(at(y, i));
    store<f32>(at(out, i), <f32>(<f64>load<f32>(at(dy, i)) * s * (1 - s)));
  }
}

/** dy * (1 - y²). */
export function tanhGrad(dy: usize, y: usize, out: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const t = <f64>load<f32>(at(y, i));
    store<f32>(at(out, i), <f32>(<f64>load<f32>(at(dy, i)) * (1 - t * t)));
  }
}

/**
 * y ⊙ (dy − Σ dy ⊙ y) along an axis of length `len`, the tensors viewed as [outer, len, inner]:
 * the softmax Jacobian diag(y) − y yᵀ applied to dy. The dot product is float64.
 */
export function softmaxGrad(
  dy: usize,
  y: usize,
  out: usize,
  outer: i32,
  len: i32,
  inner: i32,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let dot: f64 = 0;
      for (let a = 0; a < len; a++) {
        const k = base + a * inner;
        dot += <f64>load<f32>(at(dy, k)) * <f64>load<f32>(at(y, k));
      }
      for (let a = 0; a < len; a++) {
        const k = base + a * inner;
        const g = <f64>load<f32>(at(dy, k));
        store<f32>(at(out, k), <f32>(<f64>load<f32>(at(y, k)) * (g - dot)));
      }
    }
  }
}
