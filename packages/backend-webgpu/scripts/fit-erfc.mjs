// Fits the erfc approximation of src/wgsl/math.ts and reports its float32 error:
//
//   node packages/backend-webgpu/scripts/fit-erfc.mjs [DEGREE]   (default 10)
//
// For x >= 0, erfc(x) = t·exp(−x² + P(t)) with t = 1/(1 + x/2): P(t) = log(erfc(x)/t) + x² is
// smooth on t in (0, 1] (it tends to −log(2√π) as x grows), so a polynomial fits it well. The
// coefficients are a least-squares fit (Householder QR) on Chebyshev nodes, in float64, against
// erfc computed to near float64 accuracy (the Maclaurin series below 3, the continued fraction
// above). The error is then measured with every operation rounded to float32, the way the shader
// evaluates it (x² split as s² + (x − s)(x + s), s = x rounded to 1/256).
const TWO_OVER_SQRT_PI = 1.1283791670955126;

function erfSeries(x) {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= -x2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * sum;
}

function erfcFraction(x) {
  let f = x;
  for (let n = 80; n >= 1; n--) f = x + n / 2 / f;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

function erfc(x) {
  if (x >= 3) return erfcFraction(x);
  if (x <= -3) return 2 - erfcFraction(-x);
  return 1 - erfSeries(x);
}

/** Least squares: the c minimising |A·c − b|, by Householder QR. */
function leastSquares(rows, rhs) {
  const a = rows.map((r) => r.slice());
  const b = rhs.slice();
  const m = a.length;
  const n = a[0].length;
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i][k] ** 2;
    norm = Math.sqrt(norm);
    const alpha = a[k][k] > 0 ? -norm : norm;
    const v = [];
    for (let i = k; i < m; i++) v.push(a[i][k]);
    v[0] -= alpha;
    const vv = v.reduce((s, x) => s + x * x, 0);
    if (vv === 0) continue;
    const reflect = (get, set) => {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i - k] * get(i);
      s = (2 * s) / vv;
      for (let i = k; i < m; i++) set(i, get(i) - s * v[i - k]);
    };
    for (let j = k; j < n; j++) {
      reflect(
        (i) => a[i][j],
        (i, x) => (a[i][j] = x),
      );
    }
    reflect(
      (i) => b[i],
      (i, x) => (b[i] = x),
    );
  }
  const c = new Array(n).fill(0);
  for (let k = n - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < n; j++) s -= a[k][j] * c[j];
    c[k] = s / a[k][k];
  }
  return c;
}

const degree = Number(process.argv[2] ?? 10);
const rows = [];
const rhs = [];
const samples = 2000;
for (let i = 0; i < samples; i++) {
  const t = 0.5 * (1 - Math.cos((Math.PI * (i + 0.5)) / samples)) * (1 - 1e-9) + 1e-9;
  const x = 2 / t - 2;
  const e = erfc(x);
  if (x > 26 || e === 0) continue;
  rows.push(Array.from({ length: degree + 1 }, (_, k) => t ** k));
  rhs.push(Math.log(e / t) + x * x);
}
const c = leastSquares(rows, rhs).map((v) => Number(v.toPrecision(10)));

const f = Math.fround;
const c32 = c.map(f);
function erfc32(x) {
  const ax = f(Math.min(Math.abs(x), 10));
  const t = f(1 / f(1 + f(0.5 * ax)));
  let p = c32[degree];
  for (let k = degree - 1; k >= 0; k--) p = f(f(p * t) + c32[k]);
  const s = f(Math.round(ax * 256) / 256);
  const r = f(f(t * f(Math.exp(f(-s * s)))) * f(Math.exp(f(f(f(s - ax) * f(s + ax)) + p))));
  return x >= 0 ? r : f(2 - r);
}

let worst = 0;
let at = 0;
for (let i = 0; i <= 200000; i++) {
  const x = f(-6 + i * (16 / 200000));
  const want = erfc(x);
  if (want < 1.2e-38) continue;
  const rel = Math.abs(erfc32(x) - want) / want;
  if (rel > worst) [worst, at] = [rel, x];
}
console.log(`degree ${degree}: coefficients of P, constant first:`);
console.log(JSON.stringify(c));
console.log(`float32 relative error: at most ${worst.toExponential(2)} (at x = ${at.toFixed(3)})`);
