// Timing for benchmarks: warm up, then repeat until a time budget is spent, and report the
// median (robust against the noise of a shared machine). Results are compared as ratios within
// one run, never against figures from another day.

/** Runs `fn` (sync or async) and returns the median wall time of one call, in milliseconds. */
export async function measure(fn, { warmup = 2, minRuns = 5, budgetMs = 1500, maxRuns = 200 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  const start = performance.now();
  while (times.length < minRuns || (performance.now() - start < budgetMs && times.length < maxRuns)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export const gflops = (flops, ms) => flops / (ms * 1e6);
