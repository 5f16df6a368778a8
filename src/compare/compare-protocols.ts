import { parseDocument } from 'yaml';
import { checkRunConsistency } from '../run/check-consistency.js';
import { runScenario } from '../run/run-scenario.js';
import type { TraceEvent } from '../trace/trace-event.js';
import { parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import { InputError } from '../util/errors.js';
import { measureRun, quantile, type RunMetrics } from './run-metrics.js';
import { toMillis } from '../sim/time.js';

/**
 * `faultline compare`: one scenario, several protocols, the same seeds. The nemesis and every
 * client draw from their own named random streams, so each protocol meets the same faults at the
 * same times and the same client requests; only what the protocol does differs. (A fault aimed at
 * "the leader" hits whichever node leads in that protocol, at the same time.)
 */
export interface CompareOptions {
  protocols: readonly string[];
  seeds: readonly number[];
  /** Check the consistency ladder of each history (default true; the costly part of a comparison). */
  ladder?: boolean;
  /** Called after each run, for progress. */
  onRun?: (protocol: string, seed: number) => void;
}

export type ModelCounts = Record<string, { holds: number; violated: number; unknown: number }>;

export interface ProtocolComparison {
  protocol: string;
  /** Options used: the scenario's own for its protocol, the defaults for every other. */
  options: 'scenario' | 'defaults';
  seeds: number;
  /** Run verdicts (pass, invariant, not-linearizable, …) by count. */
  verdicts: Record<string, number>;
  /** Per consistency model, over the seeds (the history read with the scenario's data model). */
  consistency: ModelCounts;
  availability: number;
  latencyMs: { p50: number | undefined; p99: number | undefined; max: number | undefined };
  messagesPerWrite: number | undefined;
  leaderChanges: number;
  healToWriteMs: { median: number | undefined; max: number | undefined };
  crashToLeaderMs: { median: number | undefined; max: number | undefined };
  /** The fault events of each seed's trace (time and description), to show they match. */
  faultSchedules: string[][];
}

export interface Comparison {
  scenario: string;
  seeds: number[];
  protocols: ProtocolComparison[];
}

export function compareProtocols(scenario: Scenario, options: CompareOptions): Comparison {
  if (options.protocols.length === 0) throw new InputError('expected at least one protocol in --protocols');
  if (options.seeds.length === 0) throw new InputError('expected at least one seed');
  const variants = options.protocols.map((protocol) => ({ protocol, scenario: withProtocol(scenario, protocol) }));
  return {
    scenario: scenario.name,
    seeds: [...options.seeds],
    protocols: variants.map(({ protocol, scenario: variant }) => compareOne(protocol, variant, protocol === scenario.protocol.name, options)),
  };
}

/** The same scenario text with another protocol: validated again, so a name it does not declare is an error. */
export function withProtocol(scenario: Scenario, protocol: string): Scenario {
  if (protocol === scenario.protocol.name) return scenario;
  const document = parseDocument(scenario.source);
  document.set('protocol', { name: protocol });
  try {
    return parseScenario(String(document), scenario.file ?? '<scenario>');
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`with protocol ${protocol}: ${error.message}`, error.file, error.line, error.column, error.field);
    throw error;
  }
}

function compareOne(protocol: string, scenario: Scenario, own: boolean, options: CompareOptions): ProtocolComparison {
  const verdicts: Record<string, number> = {};
  const consistency: ModelCounts = {};
  const runs: RunMetrics[] = [];
  const faultSchedules: string[][] = [];
  for (const seed of options.seeds) {
    const output = runScenario(scenario, { seed, keepTrace: true });
    verdicts[output.result.verdict.kind] = (verdicts[output.result.verdict.kind] ?? 0) + 1;
    const checkable = output.result.verdict.kind !== 'invariant' && output.result.verdict.kind !== 'assertion';
    if ((options.ladder ?? true) && scenario.check.model !== undefined && checkable) {
      const ladder = checkRunConsistency(output.history, scenario.check.model, 'linearizable');
      for (const verdict of ladder.verdicts) (consistency[verdict.model] ??= { holds: 0, violated: 0, unknown: 0 })[verdict.verdict]++;
    }
    runs.push(measureRun(output));
    faultSchedules.push(faultEvents(output.trace ?? []));
    options.onRun?.(protocol, seed);
  }
  return summarize(protocol, own, runs, verdicts, consistency, faultSchedules, options.seeds.length);
}

function faultEvents(trace: readonly TraceEvent[]): string[] {
  const events: string[] = [];
  for (const event of trace) if (event.kind === 'fault') events.push(`${event.time} ${event.phase} ${event.description}`);
  return events;
}

function summarize(
  protocol: string,
  own: boolean,
  runs: readonly RunMetrics[],
  verdicts: Record<string, number>,
  consistency: ModelCounts,
  faultSchedules: string[][],
  seeds: number,
): ProtocolComparison {
  const completed = runs.reduce((sum, run) => sum + run.completed, 0);
  const ok = runs.reduce((sum, run) => sum + run.ok, 0);
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const perWrite = runs.map((run) => run.messagesPerWrite).filter((value): value is number => value !== undefined);
  const heal = runs.flatMap((run) => run.healToWrite).sort((a, b) => a - b);
  const crash = runs.flatMap((run) => run.crashToLeader).sort((a, b) => a - b);
  const ms = (micros: number | undefined) => (micros === undefined ? undefined : toMillis(micros));
  return {
    protocol,
    options: own ? 'scenario' : 'defaults',
    seeds,
    verdicts,
    consistency,
    availability: completed === 0 ? 0 : ok / completed,
    latencyMs: { p50: ms(quantile(latencies, 0.5)), p99: ms(quantile(latencies, 0.99)), max: ms(latencies[latencies.length - 1]) },
    messagesPerWrite: perWrite.length === 0 ? undefined : perWrite.reduce((a, b) => a + b, 0) / perWrite.length,
    leaderChanges: runs.reduce((sum, run) => sum + run.leaderChanges, 0) / Math.max(1, runs.length),
    healToWriteMs: { median: ms(quantile(heal, 0.5)), max: ms(heal[heal.length - 1]) },
    crashToLeaderMs: { median: ms(quantile(crash, 0.5)), max: ms(crash[crash.length - 1]) },
    faultSchedules,
  };
}
