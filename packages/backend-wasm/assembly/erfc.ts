// The complementary error function in float64 (the standard library has none), for exact GELU.
// Near zero the Taylor series of erf converges without much cancellation; for |x| >= 3 the
// Laplace continued fraction of erfc converges quickly and keeps relative accuracy in the tail,
// where 1 - erf(x) would cancel to nothing.
const INV_SQRT_PI: f64 = 0.5641895835477563;

function erfTaylor(x: f64): f64 {
  // erf(x) = 2 / sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n + 1))
  const x2 = x * x;
  let power = x;
  let sum = x;
  for (let n = 1; n < 120; n++) {
    power = (-power * x2) / <f64>n;
    const term = power / <f64>(2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return 2 * INV_SQRT_PI * sum;
}

/** erfc(x) for x >= 3: e^(-x^2) / sqrt(pi) / (x + 1/2 / (x + 1 / (x + 3/2 / (x + ...)))). */
function erfcLaplace(x: f64): f64 {
  let d = x;
  for (let n = 64; n >= 1; n--) d = x + <f64>n / 2 / d;
  return (Math.exp(-x * x) * INV_SQRT_PI) / d;
}

export function erfc(x: f64): f64 {
  if (x != x) return x;
  if (x >= 3) return erfcLaplace(x);
  if (x <= -3) return 2 - erfcLaplace(-x);
  return 1 - erfTaylor(x);
}
