import type { HistoryEvent } from '../history/operation.js';
import { drawSwarm } from '../faults/swarm.js';
import { findProtocol } from '../protocols/registry.js';
import { rootStream } from '../random/random-stream.js';
import type { Scenario } from '../scenario/scenario.js';
import { World } from '../sim/world.js';
import { formatMicros } from '../sim/time.js';
import { InputError } from '../util/errors.js';
import { buildInfo } from './build-info.js';
import { checkRunConsistency } from './check-consistency.js';
import { checkRunHistory } from './check-history.js';
import type { ImportedModule } from './imported-modules.js';
import type { ConsistencySummary, ConvergenceSummary, OperationCounts, RunOutput, RunResult, Verdict } from './run-result.js';
import { checkConvergence } from '../check/consistency/convergence.js';
import { unreachable } from '../util/assert.js';
import type { Micros } from '../sim/time.js';

export interface RunOptions {
  /** Defaults to the scenario's own seed. */
  seed?: number;
  /** Keep every trace event in memory (for `--trace` files and replay diffs). */
  keepTrace?: boolean;
  /** Skip the linearizability check (sweeps that only want invariants). */
  skipLinearizability?: boolean;
  /** Hand the checker the order in which nodes answered, as a certificate (default true). */
  certificate?: boolean;
  /** The modules that registered the protocol, recorded in the result for replay and shrink. */
  imports?: ImportedModule[];
}

/**
 * Runs a scenario once: scenario → world → trace and history → checkers → result. Pure in the
 * sense that matters: the same scenario and seed give the same result, apart from `wallMs`.
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunOutput {
  const seed = options.seed ?? scenario.seed;
  const protocol = findProtocol(scenario.protocol.name);
  if (protocol === undefined) throw new InputError(`unknown protocol "${scenario.protocol.name}"`, scenario.file, undefined, undefined, 'protocol.name');
  const startedMs = performance.now(); // wall clock ok: reported, never fed to the world
  const swarm = scenario.swarm ? drawSwarm(scenario, rootStream(seed).fork('swarm'), protocol) : undefined;
  const world = new World(swarm?.scenario ?? scenario, protocol, { seed, keepTrace: options.keepTrace ?? false });
  world.run();
  const checked =
    world.interruption === undefined && scenario.check.model !== undefined && !options.skipLinearizability
      ? checkRunHistory(world.history, scenario.check.model, { candidate: options.certificate === false ? undefined : world.effectOrder })
      : undefined;
  const linearizability = checked?.summary;
  const promised = scenario.check.consistency;
  const consistency =
    world.interruption === undefined && scenario.check.model !== undefined && promised !== undefined && !options.skipLinearizability
      ? checkRunConsistency(world.history, scenario.check.model, promised)
      : undefined;
  const convergence = world.replicas === undefined ? undefined : summarizeConvergence(world, scenario.check.convergence ?? 0);
  const verdict = decideVerdict(world, linearizability, consistency, convergence);
  const result: RunResult = {
    formatVersion: 1,
    scenario: scenario.name,
    scenarioFile: scenario.file,
    scenarioSource: scenario.source,
    seed,
    verdict,
    expected: scenario.expect,
    traceHash: world.trace.hashHex(),
    checkpoints: world.trace.checkpoints,
    simulatedTime: world.now,
    events: world.eventsProcessed,
    traceEvents: world.trace.count,
    messages: { ...world.network.counters },
    crashes: world.crashes,
    restarts: world.restarts,
    operations: countOperations(world.history),
    linearizability,
    ...(consistency === undefined ? {} : { consistency }),
    ...(convergence === undefined ? {} : { convergence }),
    // The observers that actually watched the run: none with `check: { invariants: false }`.
    invariants: scenario.check.invariants ? (protocol.observers?.(scenario.protocol.options) ?? []).map((observer) => `${observer.name} (${observer.kind})`) : [],
    coverageMissed: world.sometimesMissed,
    marks: world.marks.toRecord(),
    ...(world.meter === undefined ? {} : { measures: world.measures() }),
    imports: options.imports ?? [],
    drawn: swarm?.drawn,
    wallMs: Math.round(performance.now() - startedMs), // wall clock ok
    build: buildInfo,
  };
  return {
    result,
    history: world.history,
    trace: options.keepTrace ? world.trace.events : undefined,
    checked: checked?.checked,
    processClients: world.processClients,
    ...(world.states === undefined ? {} : { states: world.states.changes }),
    shape: { nodeCount: world.nodes.length, clientCount: world.clients.length, partitionMode: world.scenario.network.partitionMode },
  };
}

function summarizeConvergence(world: World, settle: Micros): ConvergenceSummary {
  const verdict = checkConvergence(world.replicas ?? [], world.history);
  switch (verdict.verdict) {
    case 'holds':
      return { verdict: 'holds', detail: `${verdict.replicas} replicas agree on ${verdict.keys} key${verdict.keys === 1 ? '' : 's'}`, settle };
    case 'violated':
      return { verdict: 'violated', detail: verdict.summary, settle };
    case 'unknown':
      return { verdict: 'unknown', detail: verdict.reason, settle };
    default:
      return unreachable(verdict, 'convergence verdict');
  }
}

function decideVerdict(world: World, linearizability: RunResult['linearizability'], consistency: ConsistencySummary | undefined, convergence: ConvergenceSummary | undefined): Verdict {
  const interruption = world.interruption;
  if (interruption !== undefined) {
    switch (interruption.kind) {
      case 'invariant':
        return {
          kind: 'invariant',
          detail: `invariant ${interruption.invariant} violated at ${formatMicros(world.now)}: ${interruption.detail}`,
          at: { time: world.now, node: interruption.node },
        };
      case 'assertion':
        return {
          kind: 'assertion',
          detail: `assertion failed${interruption.node === undefined ? '' : ` on n${interruption.node}`} at ${formatMicros(world.now)}: ${interruption.detail}`,
          where: topFrames(world.assertionStack),
          at: { time: world.now, node: interruption.node },
        };
      case 'internal':
        return {
          kind: 'internal',
          detail: `internal error in faultline, not in the protocol${interruption.node === undefined ? '' : ` (during a step of n${interruption.node})`} at ${formatMicros(world.now)}, seed ${world.seed}: ${interruption.detail}`,
          where: topFrames(world.assertionStack),
          at: { time: world.now, node: interruption.node },
        };
      case 'limit':
        return { kind: 'limit', detail: interruption.detail };
    }
  }
  // A scenario that promises a weaker model is judged by it; linearizability is only reported.
  const promise = consistency?.verdicts.find((verdict) => verdict.model === consistency.promised);
  const weaker = promise !== undefined && promise.model !== 'linearizable';
  if (!weaker && linearizability?.verdict === 'not linearizable') return { kind: 'not-linearizable', detail: linearizability.explanation };
  if (weaker && promise.verdict === 'violated') return { kind: 'inconsistent', detail: `not ${promise.model}: ${promise.detail}` };
  if (convergence?.verdict === 'violated') return { kind: 'inconsistent', detail: `not convergent: ${convergence.detail}` };
  const liveness = world.eventuallyFailures.length > 0 ? `not reached after the heal: ${world.eventuallyFailures.join('; ')}` : livenessProblem(world);
  if (liveness !== undefined) return { kind: 'liveness', detail: liveness };
  if (weaker && promise.verdict === 'unknown') return { kind: 'unknown', detail: `${promise.model}: ${promise.detail}` };
  if (!weaker && linearizability?.verdict === 'unknown') return { kind: 'unknown', detail: linearizability.explanation };
  if (convergence?.verdict === 'unknown') return { kind: 'unknown', detail: `convergence: ${convergence.detail}` };
  return { kind: 'pass', detail: '' };
}

/** After the heal, every client that still had work must have been served within the bound. */
function livenessProblem(world: World): string | undefined {
  const start = world.livenessStart;
  if (world.scenario.liveness === undefined || start === undefined) return undefined;
  const unserved = world.clients.filter((client) => !client.finished && client.servedAt === undefined);
  if (unserved.length === 0) return undefined;
  const names = unserved.map((client) => {
    const since = client.pendingSince;
    return `client ${client.index} (process ${client.process}${since === undefined ? '' : `, op pending since ${formatMicros(since)}`})`;
  });
  return `after everything healed at ${formatMicros(start)}, ${names.join(', ')} got no answer within ${formatMicros(world.scenario.liveness.bound)}`;
}

/** The first few `at …` lines of a stack, for the report (never the whole trace). */
function topFrames(stack: string | undefined): string[] {
  if (stack === undefined) return [];
  return stack
    .split('\n')
    .filter((line) => line.trim().startsWith('at '))
    .slice(0, 4)
    .map((line) => line.trim());
}

function countOperations(history: HistoryEvent[]): OperationCounts {
  const counts: OperationCounts = { invoked: 0, ok: 0, fail: 0, info: 0, pending: 0 };
  for (const event of history) {
    if (event.type === 'invoke') counts.invoked++;
    else counts[event.type]++;
  }
  counts.pending = counts.invoked - counts.ok - counts.fail - counts.info;
  return counts;
}
