/** Shared timing arithmetic for the benchmarks, so every one reports medians and tails alike. */
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index]!;
}

export function summarize(samplesMs: number[]): { median: number; p99: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Runs `fn` repeatedly for about `ms` milliseconds after a warm-up and returns calls per second. */
export function ratePerSecond(fn: () => void, ms = 1000): number {
  for (let i = 0; i < 10_000; i++) fn();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 1000; i++) fn();
    calls += 1000;
    now = performance.now();
  }
  return Math.round(calls / ((now - start) / 1000));
}
