import { parseDocument } from 'yaml';
import { runScenario } from '../run/run-scenario.js';
import { loadScenarioFile, parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import type { VerdictKind } from '../scenario/scenario.js';
import type { WorkerCount } from '../sweep/start-executor.js';
import { runSeeds } from '../sweep/run-seeds.js';
import { unreachable } from '../util/assert.js';
import type { PlantedBug } from './planted-bugs.js';

/** What the generic fault mix made of one planted bug. */
export interface ZooOutcome {
  id: string;
  /** In the tuning set, or held out (see TUNING_SET). */
  tuning: boolean;
  scenario: string | undefined;
  found: boolean;
  /** Seeds run before and including the first failure (or all seeds run, when not found). */
  seedsTried: number;
  firstFailingSeed: number | undefined;
  /** The check that fired: the verdict kind and its first line. */
  caughtBy: string | undefined;
  wallMs: number;
  /** Why the bug was not run at all. */
  skipped?: string;
  /**
   * Seeds whose verdict was neither a pass nor a catch (unknown, liveness, limit): the bug may
   * have been there, but no check said so, so the hunt went on. The first is kept for the report.
   */
  inconclusive?: { seeds: number; first: string };
}

/**
 * Verdicts that catch a safety bug: a check said what broke. `unknown` (a checker budget ran
 * out), `limit` and `liveness` say nothing about the bug planted, so they do not count as found.
 */
export function catchesBug(kind: VerdictKind): boolean {
  switch (kind) {
    case 'invariant':
    case 'assertion':
    case 'not-linearizable':
    case 'inconsistent':
      return true;
    case 'pass':
    case 'unknown':
    case 'limit':
    case 'liveness':
    case 'internal': // a bug in faultline, not the planted one
      return false;
    default:
      return unreachable(kind, 'verdict kind');
  }
}

export interface ZooOptions {
  /** Wall-clock budget per bug, in milliseconds. */
  budgetMs: number;
  /** Worker threads per hunt (0: this thread). Default 0. */
  workers?: WorkerCount;
  /** Called after each bug, so a long run shows progress. */
  onOutcome?: (outcome: ZooOutcome) => void;
}

/**
 * Runs each planted bug under its protocol's generic swarm scenario (never the scenario written
 * for it), seed after seed, until a run fails or the bug's budget of wall time is spent. The runs
 * themselves are deterministic; only when to stop depends on the clock. With workers, seeds finish
 * out of order, so after the first catch the seeds below it that were still running are run
 * again here: the seed reported is the lowest failing one, as with one thread.
 */
export async function runZoo(bugs: readonly PlantedBug[], options: ZooOptions): Promise<ZooOutcome[]> {
  const outcomes: ZooOutcome[] = [];
  for (const bug of bugs) {
    const outcome = await runOne(bug, options.budgetMs, options.workers ?? 0);
    options.onOutcome?.(outcome);
    outcomes.push(outcome);
  }
  return outcomes;
}

/** No hunt gets near this many seeds within its budget; the sweep is stopped long before. */
const SEED_CEILING = 10_000_000;

async function runOne(bug: PlantedBug, budgetMs: number, workers: WorkerCount): Promise<ZooOutcome> {
  const base: ZooOutcome = { id: bug.id, tuning: bug.tuning, scenario: bug.swarmScenario, found: false, seedsTried: 0, firstFailingSeed: undefined, caughtBy: undefined, wallMs: 0 };
  if (bug.swarmScenario === undefined) return { ...base, skipped: `${bug.protocol} has no pass-expected swarm scenario` };
  const scenario = withBugPlanted(loadScenarioFile(bug.swarmScenario), bug);
  const started = performance.now(); // wall clock ok: the budget, not the simulation
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort('budget spent'), budgetMs); // wall clock ok
  const ran = new Map<number, SeedVerdict>();
  let lowestCatch = Infinity;
  try {
    await runSeeds(scenario, {
      seeds: SEED_CEILING,
      workers,
      signal: stop.signal,
      onSeed: (_name, run) => {
        ran.set(run.seed, { kind: run.verdict, detail: run.detail });
        if (catchesBug(run.verdict)) {
          lowestCatch = Math.min(lowestCatch, run.seed);
          stop.abort('found');
        }
      },
    });
  } finally {
    clearTimeout(timer);
  }
  const wallMs = () => Math.round(performance.now() - started); // wall clock ok
  const last = Number.isFinite(lowestCatch) ? lowestCatch : contiguousPrefix(ran);
  for (let seed = 1; seed < last; seed++) {
    if (ran.has(seed)) continue;
    const { verdict } = runScenario(scenario, { seed }).result; // was in flight when the hunt stopped
    ran.set(seed, { kind: verdict.kind, detail: verdict.detail });
  }
  let inconclusive: ZooOutcome['inconclusive'];
  for (let seed = 1; seed <= last; seed++) {
    const verdict = ran.get(seed)!;
    const firstLine = `${verdict.kind}: ${verdict.detail.split('\n')[0] ?? ''}`;
    if (catchesBug(verdict.kind)) {
      const outcome: ZooOutcome = { ...base, found: true, seedsTried: seed, firstFailingSeed: seed, caughtBy: firstLine, wallMs: wallMs() };
      return inconclusive === undefined ? outcome : { ...outcome, inconclusive };
    }
    if (verdict.kind !== 'pass') inconclusive = { seeds: (inconclusive?.seeds ?? 0) + 1, first: inconclusive?.first ?? `seed ${seed}: ${firstLine}` };
  }
  const outcome: ZooOutcome = { ...base, seedsTried: last, wallMs: wallMs() };
  return inconclusive === undefined ? outcome : { ...outcome, inconclusive };
}

interface SeedVerdict {
  kind: VerdictKind;
  detail: string;
}

/** The seeds 1..k that all finished: what a hunt that found nothing can claim to have tried. */
function contiguousPrefix(ran: ReadonlyMap<number, SeedVerdict>): number {
  let seed = 0;
  while (ran.has(seed + 1)) seed++;
  return seed;
}

/**
 * The swarm scenario with the bug's option switched on, as source text: worker threads parse
 * scenarios from their text, so the option goes into the YAML, validated as the file would be.
 */
function withBugPlanted(scenario: Scenario, bug: PlantedBug): Scenario {
  const document = parseDocument(scenario.source);
  document.setIn(['protocol', 'options', bug.option], true);
  return parseScenario(document.toString(), scenario.file);
}
