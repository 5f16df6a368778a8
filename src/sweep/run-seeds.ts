import { resolve } from 'node:path';
import { importedModules, importFlags } from '../run/imported-modules.js';
import { loadScenarioFile } from '../scenario/load.js';
import { shellQuote } from '../util/shell-quote.js';
import { loadSetupModules } from './setup-modules.js';
import type { Scenario } from '../scenario/scenario.js';
import { withSwarm } from './plan-scenarios.js';
import { parseShard, WHOLE_RANGE, type Shard } from './seed-range.js';
import { startExecutor, type WorkerCount } from './start-executor.js';
import type { SeedRun, SweepSummary } from './summary.js';
import { writeSweepFiles } from './sweep-files.js';
import { Sweep } from './sweep.js';

export interface RunSeedsOptions {
  /** How many seeds: `start`, `start + 1`, … */
  seeds: number;
  /** The first seed; default 1. */
  start?: number;
  /**
   * 0 (the default) runs in the calling thread, where protocols registered by the test itself are
   * known. `'auto'` or a count uses worker threads, which load compiled JavaScript only: built-in
   * protocols, or yours through `setupModules`.
   */
  workers?: WorkerCount;
  /** Modules each worker imports first, to register protocols (see src/sweep/setup-modules.ts). */
  setupModules?: string[];
  /** Run only this slice of the range, e.g. `'2/5'`. */
  shard?: Shard | string;
  /** Let each seed draw its fault mix (the scenario's `swarm: true`). */
  swarm?: boolean;
  /** Run every seed twice and fail seeds whose trace hashes differ. */
  checkDeterminism?: boolean;
  skipLinearizability?: boolean;
  /** Write failing seeds, summary.json and junit.xml here. */
  out?: string;
  /** Stops the sweep; the summary then says `interrupted`. */
  signal?: AbortSignal;
  onSeed?(scenario: string, run: SeedRun): void;
}

/**
 * Runs a scenario (or several) over a range of seeds and returns the sweep summary: every seed's
 * verdict and trace hash, failures first-class. Never throws for a failing seed; use
 * `assertNoViolations` to turn failures into a test failure.
 */
export async function runSeeds(scenarios: Scenario | string | readonly (Scenario | string)[], options: RunSeedsOptions): Promise<SweepSummary> {
  const imports = importedModules(options.setupModules ?? [], process.cwd());
  const specifiers = imports.map((module) => module.resolved);
  // Loaded in this thread too (before the scenarios, which name the protocol), so a run in the caller's thread knows the protocol and records the module.
  await loadSetupModules(specifiers);
  const list = (Array.isArray(scenarios) ? scenarios : [scenarios]) as (Scenario | string)[];
  const swarm = options.swarm ?? false;
  const planned = list.map((item) => withSwarm(typeof item === 'string' ? loadScenarioFile(item) : item, swarm));
  const checkDeterminism = options.checkDeterminism ?? false;
  const executor = await startExecutor(options.workers ?? 0, checkDeterminism, specifiers);
  const out = options.out === undefined ? undefined : resolve(options.out);
  const shard = typeof options.shard === 'string' ? parseShard(options.shard) : (options.shard ?? WHOLE_RANGE);
  const plan = { scenarios: planned, range: { start: options.start ?? 1, count: options.seeds }, shard, swarm, checkDeterminism, skipLinearizability: options.skipLinearizability ?? false, outDirectory: out, imports };
  const sweep = new Sweep(plan, executor, { onSeed: options.onSeed });
  const summary = await sweep.run(options.signal);
  if (out !== undefined) writeSweepFiles(out, summary);
  return summary;
}

/** Thrown by `assertNoViolations`; carries the summary for a closer look. */
export class SweepFailure extends Error {
  override readonly name = 'SweepFailure';
  constructor(
    message: string,
    readonly summary: SweepSummary,
  ) {
    super(message);
  }
}

/** Listed by name in the error message; the summary has them all. */
const LISTED_MAX = 10;

/**
 * Throws a `SweepFailure` naming each failing seed (verdict, detail, how to reproduce) when any
 * seed failed or the sweep did not complete. For vitest and friends: `assertNoViolations(await runSeeds(...))`.
 */
export function assertNoViolations(summary: SweepSummary): void {
  const failures = summary.scenarios.flatMap((scenario) => scenario.runs.filter((run) => run.failed).map((run) => ({ scenario: scenario.name, file: scenario.file, run })));
  if (failures.length === 0 && summary.status === 'complete') return;
  const lines = [`${failures.length} of ${summary.totals.run} seeds failed${summary.status === 'complete' ? '' : ` (sweep ${summary.status}: ${summary.stopReason ?? ''})`}`];
  for (const { scenario, file, run } of failures.slice(0, LISTED_MAX)) {
    const what = run.divergence !== undefined ? `nondeterministic: first diverging event #${run.divergence.eventIndex ?? '?'}: ${run.divergence.first ?? ''} vs ${run.divergence.second ?? ''}` : `${run.verdict} (expected ${run.expected}): ${run.detail}`;
    lines.push(`  ${scenario} seed ${run.seed}: ${what}`);
    const flags = importFlags(summary.imports ?? [], process.cwd());
    const replay = run.failureDirectory === undefined ? '' : `  (or: faultline replay ${shellQuote(`${run.failureDirectory}/result.json`)}${flags})`;
    lines.push(`    reproduce: faultline run ${file === undefined ? '<scenario file>' : shellQuote(file)} --seed ${run.seed}${flags}${replay}`);
  }
  if (failures.length > LISTED_MAX) lines.push(`  … ${failures.length - LISTED_MAX} more`);
  throw new SweepFailure(lines.join('\n'), summary);
}
