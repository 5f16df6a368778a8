
/**
 * The time budget shared by all partitions of one check. Reading the clock is the only impure
 * thing the checker does; it is sampled, not read on every step.
 */
export class TimeBudget {
  readonly startMs: number;
  readonly deadlineMs: number;

  constructor(timeoutMs: number) {
    this.startMs = performance.now(); // wall clock ok: checker time budget
    this.deadlineMs = this.startMs + timeoutMs;
  }

  expired(): boolean {
    return performance.now() > this.deadlineMs; // wall clock ok: checker time budget
  }

  elapsedMs(): number {
    return performance.now() - this.startMs; // wall clock ok: checker time budget
  }
}

