/** Median, range and relative error of a few repetitions. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /**
   * Relative margin of error of the mean at 95% (Student's t), as a fraction: the "±" that
   * benchmark.js and tinybench print. With five repetitions it is wide by nature.
   */
  rme: number;
}

// Two-sided 95% Student's t for 1..10 degrees of freedom; beyond that, close enough to 2.
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function spread(values: readonly number[]): Spread {
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const variance = n > 1 ? values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1) : 0;
  const t = T95[n - 2] ?? 2;
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    rme: mean > 0 ? (t * Math.sqrt(variance / n)) / mean : 0,
  };
}
