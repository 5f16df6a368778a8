import type { BuildInfo } from './build-info.js';
import type { CheckedHistory } from '../check/check-history.js';
import type { ImportedModule } from './imported-modules.js';
import type { HistoryEvent } from '../history/operation.js';
import type { NetworkCounters } from '../network/link.js';
import type { VerdictKind } from '../scenario/scenario.js';
import type { Micros } from '../sim/time.js';
import type { NodeId } from '../protocol/effects.js';
import type { TraceEvent } from '../trace/trace-event.js';
import type { StateChange } from '../sim/state-timeline.js';

export interface Verdict {
  kind: VerdictKind;
  /** One paragraph a person can act on; empty for `pass`. */
  detail: string;
  /** For an assertion: where in the code it failed (the top frames). */
  where?: string[];
  /** For an invariant or an assertion: the step that stopped the run, for the report's marker. */
  at?: { time: Micros; node: NodeId | undefined };
}

export interface LinearizabilitySummary {
  model: string;
  verdict: 'linearizable' | 'not linearizable' | 'unknown' | 'skipped';
  operations: number;
  partitions: number;
  elapsedMs: number;
  /** Which path decided it: certificate (the run's answer order), unique values, search; per partition counts when mixed. */
  decidedBy?: string;
  /** For a violation or unknown: what the checker explained. */
  explanation: string;
}

/** The consistency ladder of a run whose scenario promises a model (`check.consistency`). */
export interface ConsistencySummary {
  /** The model the scenario promises; its verdict decides the run's. */
  promised: string;
  /** The data model the history was read with (register, cas-register, kv…). */
  model: string;
  /** The strongest models that hold (see check/consistency). */
  strongest: string[];
  verdicts: { model: string; verdict: 'holds' | 'violated' | 'unknown'; detail: string }[];
  elapsedMs: number;
}

/** The convergence check of a run whose scenario asks for one (`check.convergence`). */
export interface ConvergenceSummary {
  verdict: 'holds' | 'violated' | 'unknown';
  detail: string;
  /** The quiet period before the replicas were read. */
  settle: Micros;
}

export interface OperationCounts {
  invoked: number;
  ok: number;
  fail: number;
  info: number;
  pending: number;
}

/**
 * Everything a run produced. Deterministic fields only, except `wallMs`, which is kept out of
 * the trace hash and of comparisons.
 */
export interface RunResult {
  formatVersion: 1;
  scenario: string;
  scenarioFile: string | undefined;
  /** The scenario's full text, so `faultline replay` and `shrink` need only this file. */
  scenarioSource: string;
  seed: number;
  verdict: Verdict;
  expected: VerdictKind;
  traceHash: string;
  /** The running hash after every 1024 events: replay compares them to find a divergence. */
  checkpoints: string[];
  simulatedTime: Micros;
  events: number;
  traceEvents: number;
  messages: NetworkCounters;
  crashes: number;
  restarts: number;
  operations: OperationCounts;
  linearizability: LinearizabilitySummary | undefined;
  /** Present when the scenario says `check: { consistency: <model> }`. */
  consistency?: ConsistencySummary;
  /** Present when the scenario says `check: { convergence: <quiet period> }`. */
  convergence?: ConvergenceSummary;
  invariants: string[];
  /** `sometimes` properties that never held: the run may not have exercised what it meant to. */
  coverageMissed: string[];
  /** How often the run reached each coverage mark the protocol declares (0 = never). */
  marks: Record<string, number>;
  /** What the protocol's meter measured (only for a protocol that declares one): samples ascending. */
  measures?: Record<string, import('../invariants/meter.js').MeasureSamples>;
  /** Modules loaded to make the protocol known (`--import`): replay and shrink load them again. */
  imports: ImportedModule[];
  /** What the seed drew in swarm mode, printed so a person can read the run's configuration. */
  drawn: Record<string, string> | undefined;
  wallMs: number;
  /** The faultline build that produced this result (version and git commit, fixed at build time). */
  build?: BuildInfo;
}

/** A run with its bulky parts, which are written to separate files or dropped. */
export interface RunOutput {
  result: RunResult;
  history: HistoryEvent[];
  trace: TraceEvent[] | undefined;
  /** The checker's full answer (operations, explanation), when the history was checked. */
  checked?: CheckedHistory;
  /** The client behind each history process (index: process number). */
  processClients?: readonly number[];
  /** Each node's state summary as it changed (kept with the trace), for the report's state lane. */
  states?: StateChange[];
  /** The world's shape as run (a swarm draw may differ from the scenario text), for reports. */
  shape?: { nodeCount: number; clientCount: number; partitionMode: 'drop' | 'hold' };
}
