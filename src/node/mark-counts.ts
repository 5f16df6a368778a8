/**
 * How often a run reached each coverage mark. Kept apart from the trace: marks are for knowing
 * what a sweep exercised, and adding one must not change any run's hash.
 */
export class MarkCounts {
  private readonly counts = new Map<string, number>();

  /** Every declared mark starts at 0, so "never reached" is visible, not absent. */
  constructor(declared: readonly string[] = []) {
    for (const name of declared) this.counts.set(name, 0);
  }

  hit(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  /** Sorted by name, for stable output. */
  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of [...this.counts.keys()].sort()) out[name] = this.counts.get(name)!;
    return out;
  }
}
