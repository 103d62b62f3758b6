// Timing for benchmarks: warm up, then repeat until a time budget is spent, and report the
// median (robust against the noise of a shared machine). Results are compared as ratios within
// one run, never against figures from another day.

/** Repetition settings of a full run and of `--quick`; a suite picks one by its cost class. */
export const PLANS = {
  full: {
    small: { warmup: 3, minRuns: 9, budgetMs: 2000, maxRuns: 400 },
    large: { warmup: 1, minRuns: 3, budgetMs: 0, maxRuns: 3 },
    huge: { warmup: 0, minRuns: 1, budgetMs: 0, maxRuns: 1 },
  },
  quick: {
    small: { warmup: 1, minRuns: 3, budgetMs: 300, maxRuns: 50 },
    large: { warmup: 0, minRuns: 1, budgetMs: 0, maxRuns: 1 },
    huge: { warmup: 0, minRuns: 1, budgetMs: 0, maxRuns: 1 },
  },
};

/**
 * Runs `fn` (sync or async) and returns timing statistics of one call, in milliseconds:
 * the median, the fastest run and how many runs were timed.
 */
export async function timings(
  fn,
  { warmup = 2, minRuns = 5, budgetMs = 1500, maxRuns = 200 } = {},
) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  const start = performance.now();
  while (
    times.length < minRuns ||
    (performance.now() - start < budgetMs && times.length < maxRuns)
  ) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { median, min: times[0], runs: times.length };
}

/** The median wall time of one call, in milliseconds. */
export async function measure(fn, options) {
  return (await timings(fn, options)).median;
}

/** Wall time of exactly one call, in milliseconds, with its result. */
export async function timeOnce(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export const gflops = (flops, ms) => flops / (ms * 1e6);
