/**
 * Float32 math the WGSL builtins do not give with known accuracy: erfc (WGSL has no erf),
 * tanh and sigmoid written so no exp overflows, and log1p. Each is a module-scope function a
 * kernel adds with `define`.
 *
 * erfc(x) for x >= 0 is t·exp(−x² + P(t)) with t = 1/(1 + x/2) and P a degree-10 polynomial
 * fitted by least squares in float64 (scripts/fit-erfc.mjs, which prints these coefficients);
 * erfc(−x) = 2 − erfc(x). x² is split as s² + (x − s)(x + s) with s = x rounded to 1/256, so
 * s² is exact in float32 and the large exponent loses no bits. Evaluated in float32 the
 * relative error stays below 5e-7 (a few ulps) for every x where erfc is a normal float.
 */
const ERFC_P = [
  -1.265522255, 1.000399444, 0.3685514382, 0.1397364045, -0.3835379153, 0.8484477658, -2.196496099,
  2.762178492, -1.772644724, 0.5720247782, -0.07313730767,
];

const f = (v: number) => {
  const s = String(v);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
};

function horner(coefficients: readonly number[], t: string): string {
  const last = coefficients.length - 1;
  let expr = f(coefficients[last]!);
  for (let k = last - 1; k >= 0; k--) expr = `(${expr}) * ${t} + ${f(coefficients[k]!)}`;
  return expr;
}

export const ERFC = `
fn k_erfc(x: f32) -> f32 {
  // Past 10 erfc is below float32's smallest normal number.
  let ax = min(abs(x), 10.0);
  let t = 1.0 / (1.0 + 0.5 * ax);
  let p = ${horner(ERFC_P, 't')};
  let s = round(ax * 256.0) / 256.0;
  let r = t * exp(-s * s) * exp((s - ax) * (s + ax) + p);
  return select(2.0 - r, r, x >= 0.0);
}`;

export const TANH = `
fn k_tanh(x: f32) -> f32 {
  // (1 − e)/(1 + e) with e = exp(−2|x|) <= 1 never overflows; near 0 the odd series keeps
  // relative accuracy that 1 − e would lose.
  let ax = abs(x);
  let e = exp(-2.0 * ax);
  let x2 = x * x;
  let series = x * (1.0 - x2 * (1.0 / 3.0 - x2 * (2.0 / 15.0)));
  return select(sign(x) * (1.0 - e) / (1.0 + e), series, ax < 0.0625);
}`;

export const SIGMOID = `
fn k_sigmoid(x: f32) -> f32 {
  // e^x / (1 + e^x) below zero: exp is only ever taken of −|x|.
  let e = exp(-abs(x));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
}`;

export const LOG1P = `
fn k_log1p(e: f32) -> f32 {
  // log(u) for u = 1 + e, corrected by the rounding error of that sum.
  let u = 1.0 + e;
  if (u == 1.0) { return e; }
  return log(u) * (e / (u - 1.0));
}`;

export const LEAKY = `
fn k_leaky(x: f32, alpha: f32) -> f32 {
  return select(alpha * x, x, x >= 0.0);
}`;

/** sqrt(2/π) and 0.044715: the tanh form of GELU. */
export const GELU_C = '0.7978845608028654';
export const GELU_A = '0.044715';
