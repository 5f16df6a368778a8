/** A histogram of one run metric over a scenario's seeds, passed and failed seeds stacked. */
export interface Histogram {
  /** Bin edges: bin i holds values in [edges[i], edges[i + 1]) (the last bin includes its end). */
  edges: number[];
  passed: number[];
  failed: number[];
  min: number;
  median: number;
  p99: number;
  max: number;
}

/** The value at quantile `q` (0..1) of ascending `sorted`, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Bins `values` (with whether each seed failed) into at most `binsMax` equal-width bins. */
export function histogram(values: readonly number[], failed: readonly boolean[], binsMax: number): Histogram {
  const sorted = [...values].sort((a, b) => a - b);
  const min = sorted[0] ?? 0;
  const max = sorted.at(-1) ?? 0;
  const bins = max === min ? 1 : Math.max(1, Math.min(binsMax, values.length));
  const width = (max - min) / bins || 1;
  const edges = Array.from({ length: bins + 1 }, (_, index) => min + index * width);
  const passedCounts = new Array<number>(bins).fill(0);
  const failedCounts = new Array<number>(bins).fill(0);
  values.forEach((value, index) => {
    const bin = Math.min(bins - 1, Math.floor((value - min) / width));
    (failed[index] ? failedCounts : passedCounts)[bin]!++;
  });
  return { edges, passed: passedCounts, failed: failedCounts, min, median: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max };
}
