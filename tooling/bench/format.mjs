// Number formats shared by the console table and BENCHMARKS.md.

/** Milliseconds with about three significant digits; seconds from 10 s up. */
export function fmtMs(ms) {
  if (ms === undefined || Number.isNaN(ms)) return 'n/a';
  if (ms >= 10000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export const fmtGflops = (g) => (g === undefined ? 'n/a' : g >= 10 ? g.toFixed(1) : g.toFixed(2));

/** A ratio as "2.31×". */
export function fmtRatio(r) {
  if (r === undefined || !Number.isFinite(r)) return 'n/a';
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

export const fmtDiff = (d) => (d === undefined ? 'n/a' : d.toExponential(1));

export const fmtMiB = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** A goal's verdict. */
export const verdict = (met) => (met === undefined ? 'not measured' : met ? 'met' : 'NOT met');
