import { TURNAROUND_BUCKETS } from "../../schema/rollups";

/**
 * A duration histogram as turnaround_daily keeps it (schema/rollups.ts): per fixed bucket,
 * how many durations and their sum in ms.
 */
export interface Histogram {
  count: number;
  sumMs: number;
  counts: number[];
  sums: number[];
}

export function emptyHistogram(): Histogram {
  return { count: 0, sumMs: 0, counts: Array(TURNAROUND_BUCKETS).fill(0), sums: Array(TURNAROUND_BUCKETS).fill(0) };
}

/** Adds a statement row (count, sum_ms, and the buckets' counts and sums) into `h`. */
export function addRow(h: Histogram, row: { count: number; sum_ms: number; counts: readonly (number | null)[]; sums: readonly (number | null)[] }): Histogram {
  const { counts, sums } = row;
  h.count += row.count;
  h.sumMs += row.sum_ms;
  for (let k = 0; k < TURNAROUND_BUCKETS; k++) {
    h.counts[k] = (h.counts[k] ?? 0) + (counts[k] ?? 0);
    h.sums[k] = (h.sums[k] ?? 0) + (sums[k] ?? 0);
  }
  return h;
}

/** The duration of 0-based rank `i`: the mean of the bucket holding that rank. */
function valueAt(h: Histogram, i: number): number {
  let seen = 0;
  for (let k = 0; k < h.counts.length; k++) {
    const n = h.counts[k] ?? 0;
    seen += n;
    if (i < seen) return (h.sums[k] ?? 0) / n;
  }
  return 0;
}

/**
 * The p-th percentile, interpolated linearly between the closest ranks as the reports always
 * did (v[lo] + (pos − lo) × (v[lo+1] − v[lo]), pos = (n − 1) × p), each rank valued at its
 * bucket's mean: exact when the durations sharing a bucket are equal, otherwise off by less
 * than the bucket's width (under a minute below a minute, else under 20% of the value).
 */
export function percentile(h: Histogram, p: number): number {
  if (h.count === 0) return 0;
  const pos = (h.count - 1) * p;
  const lo = Math.floor(pos);
  const a = valueAt(h, lo);
  const b = lo + 1 < h.count ? valueAt(h, lo + 1) : a;
  return a + (pos - lo) * (b - a);
}
