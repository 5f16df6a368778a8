import { findProtocol } from '../protocols/registry.js';
import { runScenario } from '../run/run-scenario.js';
import { loadScenarioFile } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import type { VerdictKind } from '../scenario/scenario.js';
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
  /** Called after each bug, so a long run shows progress. */
  onOutcome?: (outcome: ZooOutcome) => void;
}

/**
 * Runs each planted bug under its protocol's generic swarm scenario (never the scenario written
 * for it), seed after seed, until a run fails or the bug's budget of wall time is spent. The runs
 * themselves are deterministic; only when to stop depends on the clock.
 */
export function runZoo(bugs: readonly PlantedBug[], options: ZooOptions): ZooOutcome[] {
  return bugs.map((bug) => {
    const outcome = runOne(bug, options.budgetMs);
    options.onOutcome?.(outcome);
    return outcome;
  });
}

function runOne(bug: PlantedBug, budgetMs: number): ZooOutcome {
  const base: ZooOutcome = { id: bug.id, tuning: bug.tuning, scenario: bug.swarmScenario, found: false, seedsTried: 0, firstFailingSeed: undefined, caughtBy: undefined, wallMs: 0 };
  if (bug.swarmScenario === undefined) return { ...base, skipped: `${bug.protocol} has no pass-expected swarm scenario` };
  const scenario = withBugPlanted(loadScenarioFile(bug.swarmScenario), bug);
  const started = performance.now(); // wall clock ok: the budget, not the simulation
  let seed = 0;
  let inconclusive: ZooOutcome['inconclusive'];
  const withInconclusive = (outcome: ZooOutcome): ZooOutcome => (inconclusive === undefined ? outcome : { ...outcome, inconclusive });
  while (performance.now() - started < budgetMs) { // wall clock ok
    seed++;
    const { verdict } = runScenario(scenario, { seed }).result;
    const firstLine = `${verdict.kind}: ${verdict.detail.split('\n')[0] ?? ''}`;
    if (catchesBug(verdict.kind)) {
      return withInconclusive({ ...base, found: true, seedsTried: seed, firstFailingSeed: seed, caughtBy: firstLine, wallMs: Math.round(performance.now() - started) }); // wall clock ok
    }
    if (verdict.kind !== 'pass') inconclusive = { seeds: (inconclusive?.seeds ?? 0) + 1, first: inconclusive?.first ?? `seed ${seed}: ${firstLine}` };
  }
  return withInconclusive({ ...base, seedsTried: seed, wallMs: Math.round(performance.now() - started) }); // wall clock ok
}

/** The swarm scenario with the bug's option switched on, validated as the file would be. */
function withBugPlanted(scenario: Scenario, bug: PlantedBug): Scenario {
  const protocol = findProtocol(bug.protocol)!;
  const rawOptions = { ...(scenario.protocol.rawOptions as Record<string, unknown>), [bug.option]: true };
  return { ...scenario, protocol: { ...scenario.protocol, rawOptions, options: protocol.options.parse(rawOptions) } };
}
