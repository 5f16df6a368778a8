import type { ImportedModule } from '../run/imported-modules.js';
import type { VerdictKind } from '../scenario/scenario.js';
import type { Micros } from '../sim/time.js';
import type { MeasureSamples } from '../invariants/meter.js';
import type { MarkTotals } from './marks.js';
import type { SeedRange, Shard } from './seed-range.js';

/**
 * Where two runs of the same seed first differ. The hash checkpoints give the window; re-running
 * both sides with their traces kept names the event (for the first few divergences of a sweep).
 */
export interface Divergence {
  /** The workers that ran the two passes. */
  workers: [number, number];
  traceHashes: [string, string];
  /** Events `windowStart..windowEnd` (inclusive) hold the first difference. */
  windowStart: number;
  windowEnd: number;
  /** The first differing event, when the re-runs with traces kept named it. */
  eventIndex: number | undefined;
  first: string | undefined;
  second: string | undefined;
}

/** One seed of one scenario, as the summary keeps it. */
export interface SeedRun {
  seed: number;
  verdict: VerdictKind;
  expected: VerdictKind;
  /** The verdict's detail for a failing seed, otherwise empty. */
  detail: string;
  traceHash: string;
  events: number;
  simulatedTime: Micros;
  wallMs: number;
  /** The verdict differs from `expected`, or the determinism check found a divergence. */
  failed: boolean;
  /** For a failed seed: its folder, relative to the summary's folder. */
  failureDirectory: string | undefined;
  divergence: Divergence | undefined;
  /** When the scenario promises a consistency model: each model's verdict on this seed. */
  consistency?: Record<string, 'holds' | 'violated' | 'unknown'>;
}

/** How many seeds each consistency model held on, was violated on, or got no verdict on. */
export type ConsistencyCounts = Record<string, { holds: number; violated: number; unknown: number }>;

export interface Totals {
  planned: number;
  run: number;
  passed: number;
  failed: number;
  /** Planned seeds that did not run (the sweep was interrupted or stopped on an error). */
  notRun: number;
  /** Failed seeds by their verdict kind; `nondeterministic` counts divergences. */
  failedBy: Record<string, number>;
  /** Every seed that ran, by verdict kind. */
  verdicts: Record<string, number>;
  /** Present when some seed checked the consistency ladder: verdicts per model. */
  consistency?: ConsistencyCounts;
}

export interface ScenarioSummary {
  name: string;
  file: string | undefined;
  expect: VerdictKind;
  /** The seeds this summary was asked to run, as ranges (one per shard after a merge). */
  planned: SeedRange[];
  runs: SeedRun[];
  totals: Totals;
  /** Coverage marks: per mark, the seeds that reached it and the hits in all (see src/sweep/marks.ts). */
  marks: MarkTotals;
  /** What the protocol's meter measured, pooled over the seeds (see src/invariants/meter.ts). */
  measures?: Record<string, MeasureSamples>;
}

/** Adds one run's samples (`RunResult.measures`) to a scenario's pool, keeping each ascending. */
export function poolMeasures(pool: Record<string, MeasureSamples>, measures: Readonly<Record<string, MeasureSamples>>): void {
  for (const [name, measure] of Object.entries(measures)) {
    const into = (pool[name] ??= { unit: measure.unit, samples: [] });
    into.samples.push(...measure.samples);
    into.samples.sort((a, b) => a - b);
  }
}

export type SweepStatus = 'running' | 'complete' | 'interrupted' | 'error';

/** summary.json: what a sweep (or a merge of shard sweeps) ran and found. */
export interface SweepSummary {
  formatVersion: 1;
  kind: 'faultline-sweep';
  status: SweepStatus;
  /** Why the sweep stopped early, for `interrupted` and `error`. */
  stopReason: string | undefined;
  /** The whole seed range of the sweep, before sharding. */
  seeds: SeedRange;
  /** The shards this summary covers: one for a sweep, several after a merge. */
  shards: Shard[];
  swarm: boolean;
  checkDeterminism: boolean;
  /** Modules loaded with `--import` / `setupModules`; every printed reproduce command loads them too. */
  imports: ImportedModule[];
  workers: number;
  scenarios: ScenarioSummary[];
  totals: Totals;
  /** Wall-clock time, summed over shards after a merge. Not deterministic; never compared. */
  wallMs: number;
  seedsPerSecond: number;
}

export function totalsOf(runs: readonly SeedRun[], planned: number): Totals {
  const totals: Totals = { planned, run: runs.length, passed: 0, failed: 0, notRun: planned - runs.length, failedBy: {}, verdicts: {} };
  for (const run of runs) {
    totals.verdicts[run.verdict] = (totals.verdicts[run.verdict] ?? 0) + 1;
    if (run.consistency !== undefined) countConsistency((totals.consistency ??= {}), run.consistency);
    if (!run.failed) {
      totals.passed++;
      continue;
    }
    totals.failed++;
    if (run.verdict !== run.expected) totals.failedBy[run.verdict] = (totals.failedBy[run.verdict] ?? 0) + 1;
    if (run.divergence !== undefined) totals.failedBy.nondeterministic = (totals.failedBy.nondeterministic ?? 0) + 1;
  }
  return totals;
}

export function addTotals(parts: readonly Totals[]): Totals {
  const sum: Totals = { planned: 0, run: 0, passed: 0, failed: 0, notRun: 0, failedBy: {}, verdicts: {} };
  for (const part of parts) {
    sum.planned += part.planned;
    sum.run += part.run;
    sum.passed += part.passed;
    sum.failed += part.failed;
    sum.notRun += part.notRun;
    for (const [kind, count] of Object.entries(part.failedBy)) sum.failedBy[kind] = (sum.failedBy[kind] ?? 0) + count;
    for (const [kind, count] of Object.entries(part.verdicts)) sum.verdicts[kind] = (sum.verdicts[kind] ?? 0) + count;
    for (const [model, counts] of Object.entries(part.consistency ?? {})) {
      const target = ((sum.consistency ??= {})[model] ??= { holds: 0, violated: 0, unknown: 0 });
      target.holds += counts.holds;
      target.violated += counts.violated;
      target.unknown += counts.unknown;
    }
  }
  return sum;
}

function countConsistency(counts: ConsistencyCounts, verdicts: Record<string, 'holds' | 'violated' | 'unknown'>): void {
  for (const [model, verdict] of Object.entries(verdicts)) {
    const target = (counts[model] ??= { holds: 0, violated: 0, unknown: 0 });
    target[verdict]++;
  }
}

export function plannedCount(ranges: readonly SeedRange[]): number {
  return ranges.reduce((sum, range) => sum + range.count, 0);
}

export function seedsPerSecond(seeds: number, wallMs: number): number {
  return wallMs <= 0 ? 0 : Math.round((seeds / (wallMs / 1000)) * 100) / 100;
}
