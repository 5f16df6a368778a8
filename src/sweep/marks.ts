/**
 * A sweep's coverage marks for one scenario: for each mark, how many seeds reached it and how
 * often in all. Declared marks a run never reached arrive with a count of 0, so a mark no seed
 * reached is listed with 0 seeds rather than missing.
 */
export type MarkTotals = Record<string, { seeds: number; hits: number }>;

/** Adds one run's counts (`RunResult.marks`) to a scenario's totals. */
export function addRunMarks(totals: MarkTotals, marks: Readonly<Record<string, number>>): void {
  for (const [name, count] of Object.entries(marks)) {
    const total = (totals[name] ??= { seeds: 0, hits: 0 });
    if (count > 0) total.seeds++;
    total.hits += count;
  }
}

/** Sums totals of disjoint seed sets (shards, or scenarios for a sweep-wide view). */
export function sumMarks(parts: readonly MarkTotals[]): MarkTotals {
  const sum: MarkTotals = {};
  for (const part of parts) {
    for (const [name, total] of Object.entries(part)) {
      const into = (sum[name] ??= { seeds: 0, hits: 0 });
      into.seeds += total.seeds;
      into.hits += total.hits;
    }
  }
  return sortedByName(sum);
}

export function sortedByName(totals: MarkTotals): MarkTotals {
  return Object.fromEntries(Object.entries(totals).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The marks of `required` that no seed of any scenario reached (unknown names included). */
export function unreachedMarks(required: readonly string[], scenarios: readonly { marks: MarkTotals }[]): string[] {
  const all = sumMarks(scenarios.map((scenario) => scenario.marks));
  return required.filter((name) => (all[name]?.seeds ?? 0) === 0);
}
