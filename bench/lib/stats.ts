/** Latency summaries and rounding shared by the benchmarks. */
export const round = (x: number) => Math.round(x * 10) / 10;
/** Ratios to two places: at one, 0.45 would print as 0.5, a target met that is not. */
export const round2 = (x: number) => Math.round(x * 100) / 100;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const summary = (latencies: number[]) => ({
  p50: round(percentile(latencies, 50)),
  p95: round(percentile(latencies, 95)),
  p99: round(percentile(latencies, 99)),
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Times `fn` in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}
