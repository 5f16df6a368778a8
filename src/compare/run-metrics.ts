import type { HistoryEvent } from '../history/operation.js';
import type { RunOutput } from '../run/run-result.js';
import type { StateChange } from '../sim/state-timeline.js';
import type { Micros } from '../sim/time.js';
import type { TraceEvent } from '../trace/trace-event.js';

/**
 * What one run says about a protocol's behaviour under its faults, computed from what every
 * run records (history, trace, state summaries): nothing here knows a protocol.
 */
export interface RunMetrics {
  /** Completed operations (ok, fail, info); pending ones at the end are left out. */
  completed: number;
  ok: number;
  /** ok ÷ completed. */
  availability: number;
  /** Latencies of ok operations, invoke to completion (µs), sorted. */
  latencies: Micros[];
  /** Messages sent per acknowledged write (undefined without one). */
  messagesPerWrite: number | undefined;
  /** How many times some node newly believed itself leader (after the first). */
  leaderChanges: number;
  /** For each heal (a fault's end), time until the next acknowledged write completed. */
  healToWrite: Micros[];
  /** For each crash of a node that led, time until some node led again. */
  crashToLeader: Micros[];
}

const READ_FUNCTIONS = new Set(['read']);

export function measureRun(output: RunOutput): RunMetrics {
  const operations = pairHistory(output.history);
  const completed = operations.filter((operation) => operation.end !== undefined);
  const ok = completed.filter((operation) => operation.type === 'ok');
  const writes = ok.filter((operation) => !READ_FUNCTIONS.has(operation.f));
  const latencies = ok.map((operation) => (operation.end as Micros) - operation.start).sort((a, b) => a - b);
  const trace = output.trace ?? [];
  const states = output.states ?? [];
  return {
    completed: completed.length,
    ok: ok.length,
    availability: completed.length === 0 ? 0 : ok.length / completed.length,
    latencies,
    messagesPerWrite: writes.length === 0 ? undefined : output.result.messages.sent / writes.length,
    leaderChanges: Math.max(0, leaderships(states).length - 1),
    healToWrite: healToWrite(trace, writes.map((operation) => operation.end as Micros)),
    crashToLeader: crashToLeader(states),
  };
}

interface PairedOperation {
  f: string;
  type: 'ok' | 'fail' | 'info' | undefined;
  start: Micros;
  end: Micros | undefined;
}

function pairHistory(history: readonly HistoryEvent[]): PairedOperation[] {
  const open = new Map<number, PairedOperation>();
  const operations: PairedOperation[] = [];
  for (const event of history) {
    if (event.type === 'invoke') {
      const operation: PairedOperation = { f: event.f, type: undefined, start: event.time, end: undefined };
      open.set(event.process, operation);
      operations.push(operation);
      continue;
    }
    const operation = open.get(event.process);
    if (operation === undefined) continue;
    open.delete(event.process);
    operation.type = event.type;
    operation.end = event.time;
  }
  return operations;
}

/** A node leads when its own summary names itself leader; each new (node, epoch) is a leadership. */
function leaderships(states: readonly StateChange[]): { time: Micros; node: number; epoch: number }[] {
  const seen = new Set<string>();
  const found: { time: Micros; node: number; epoch: number }[] = [];
  for (const change of states) {
    if (change.summary.role === 'down' || change.summary.leader !== change.node) continue;
    const key = `${change.node}/${change.summary.epoch}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ time: change.time, node: change.node, epoch: change.summary.epoch });
  }
  return found;
}

function healToWrite(trace: readonly TraceEvent[], writeTimes: readonly Micros[]): Micros[] {
  const sorted = [...writeTimes].sort((a, b) => a - b);
  const gaps: Micros[] = [];
  for (const event of trace) {
    if (event.kind !== 'fault' || event.phase !== 'end') continue;
    const next = sorted.find((time) => time >= event.time);
    if (next !== undefined) gaps.push(next - event.time);
  }
  return gaps;
}

function crashToLeader(states: readonly StateChange[]): Micros[] {
  const leading = new Map<number, boolean>();
  const gaps: Micros[] = [];
  let waitingSince: Micros | undefined;
  for (const change of states) {
    const leads = change.summary.role !== 'down' && change.summary.leader === change.node;
    if (change.summary.role === 'down' && leading.get(change.node) === true && waitingSince === undefined) {
      // Another node that already leads (the crashed one was deposed) leaves nothing to wait for.
      const another = [...leading].some(([node, isLeading]) => node !== change.node && isLeading);
      if (!another) waitingSince = change.time;
    }
    if (leads && waitingSince !== undefined && change.time > waitingSince) {
      gaps.push(change.time - waitingSince);
      waitingSince = undefined;
    }
    leading.set(change.node, leads);
  }
  return gaps;
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}
