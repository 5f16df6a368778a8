import type { RunOutput, RunResult } from '../../run/run-result.js';
import type { MessageRenderer } from '../../trace/render.js';
import { clientOperations, offendingOperations, type OperationColumns } from './client-operations.js';
import { faultBands, type FaultBand } from './fault-bands.js';
import { laneMarks } from './lane-marks.js';
import { markHeld, pairMessages } from './messages.js';
import { deltas, StringTable } from './string-table.js';
import type { StateChange } from '../../sim/state-timeline.js';

/** What the report is drawn from: a run's output with its trace kept. */
export interface RunPageInput {
  output: RunOutput;
  renderMessage: MessageRenderer;
  nodeCount: number;
  clientCount: number;
  /** In `hold` mode a message that meets a cut waits: the page marks such arrows as held. */
  partitionMode: 'drop' | 'hold';
  /** Where the result came from, for the page's header (never used as markup). */
  source: string;
}

/** The violation as the page centres and highlights it. */
export interface PageViolation {
  kind: RunResult['verdict']['kind'];
  time: number;
  /** The lane it happened on (a node, or the client of the first offending operation), or -1. */
  lane: number;
  text: string;
  /** Client operations of the explanation that could not be ordered. */
  operations: number[];
}

/**
 * Everything the page draws, column-oriented, with sorted time columns delta-encoded and labels
 * interned: a million events stay tens of megabytes and parse in well under a second.
 */
export interface RunPageData {
  title: string;
  source: string;
  scenario: string;
  seed: number;
  verdict: string;
  expected: string;
  detail: string;
  traceHash: string;
  build: string;
  summary: string[];
  nodeCount: number;
  clientCount: number;
  timeEnd: number;
  traceEvents: number;
  strings: string[];
  messages: { from: number[]; to: number[]; sendDelta: number[]; duration: number[]; label: number[]; type: number[]; fate: number[]; flags: number[] };
  marks: { lane: number[]; other: number[]; timeDelta: number[]; kind: number[]; label: number[] };
  operations: OperationColumns;
  bands: FaultBand[];
  /** Each node's state summary as it changed (the node state lane); empty when the protocol has none. */
  states: { node: number[]; timeDelta: number[]; role: number[]; epoch: number[]; leader: number[]; commit: number[]; detail: number[] };
  violation: PageViolation | null;
}

export function runPageData(input: RunPageInput): RunPageData {
  const { output } = input;
  const result = output.result;
  const trace = output.trace ?? [];
  const strings = new StringTable();
  const timeEnd = Math.max(1, result.simulatedTime);
  const bands = faultBands(trace, timeEnd);
  const messages = pairMessages(trace, input.renderMessage, strings, timeEnd);
  if (input.partitionMode === 'hold') markHeld(messages, bands.filter((band) => band.kind === 'partition'));
  const marks = laneMarks(trace, input.nodeCount, strings);
  const operations = clientOperations(output.history, output.processClients ?? [], output.checked);
  return {
    title: `${result.scenario} seed ${result.seed}`,
    source: input.source,
    scenario: result.scenario,
    seed: result.seed,
    verdict: result.verdict.kind,
    expected: result.expected,
    detail: result.verdict.detail,
    traceHash: result.traceHash,
    build: result.build === undefined ? 'unknown build' : `faultline ${result.build.version} (${result.build.commit})`,
    summary: summaryLines(result),
    nodeCount: input.nodeCount,
    clientCount: input.clientCount,
    timeEnd,
    traceEvents: trace.length,
    strings: strings.strings,
    messages: {
      from: messages.from,
      to: messages.to,
      sendDelta: deltas(messages.send),
      duration: messages.end.map((end, id) => end - messages.send[id]!),
      label: messages.label,
      type: messages.type,
      fate: messages.fate,
      flags: messages.flags,
    },
    marks: { lane: marks.lane, other: marks.other, timeDelta: deltas(marks.time), kind: marks.kind, label: marks.label },
    operations,
    bands,
    states: stateColumns(output.states ?? [], strings),
    violation: violationOf(result, input.nodeCount, operations),
  };
}

/** The state changes as columns: roles and details interned, leaders −1 for none, detail −1 for none. */
function stateColumns(changes: readonly StateChange[], strings: StringTable): RunPageData['states'] {
  const columns: RunPageData['states'] = { node: [], timeDelta: [], role: [], epoch: [], leader: [], commit: [], detail: [] };
  const times: number[] = [];
  for (const change of changes) {
    const summary = change.summary;
    columns.node.push(change.node);
    times.push(change.time);
    columns.role.push(strings.intern(summary.role));
    columns.epoch.push(summary.epoch);
    columns.leader.push(summary.leader ?? -1);
    columns.commit.push(summary.commit);
    columns.detail.push(summary.detail === undefined ? -1 : strings.intern(summary.detail));
  }
  columns.timeDelta = deltas(times);
  return columns;
}

function violationOf(result: RunResult, nodeCount: number, operations: OperationColumns): PageViolation | null {
  const verdict = result.verdict;
  switch (verdict.kind) {
    case 'pass':
      return null;
    case 'invariant':
    case 'assertion':
    case 'internal':
      return { kind: verdict.kind, time: verdict.at?.time ?? result.simulatedTime, lane: verdict.at?.node ?? -1, text: verdict.detail, operations: [] };
    case 'not-linearizable':
    case 'unknown': {
      const offending = offendingOperations(operations);
      const first = offending[0];
      if (first === undefined) return { kind: verdict.kind, time: result.simulatedTime, lane: -1, text: verdict.detail, operations: [] };
      const end = operations.end[first]!;
      return { kind: verdict.kind, time: end >= 0 ? end : operations.start[first]!, lane: nodeCount + operations.client[first]!, text: verdict.detail, operations: offending };
    }
    case 'liveness':
    case 'limit':
    case 'inconsistent': // the ladder names its operations in the detail; the time is the run's
      return { kind: verdict.kind, time: result.simulatedTime, lane: -1, text: verdict.detail, operations: [] };
    default:
      return verdict.kind satisfies never;
  }
}

function summaryLines(result: RunResult): string[] {
  const m = result.messages;
  const o = result.operations;
  return [
    `simulated ${(result.simulatedTime / 1e6).toFixed(6)}s, ${result.events} events, ${result.traceEvents} trace events`,
    `messages sent ${m.sent}, delivered ${m.delivered}, duplicated ${m.duplicated}, reordered ${m.reordered}, held ${m.held}`,
    `nodes: crashes ${result.crashes}, restarts ${result.restarts}`,
    `operations invoked ${o.invoked}: ok ${o.ok}, fail ${o.fail}, info ${o.info}, pending ${o.pending}`,
    result.linearizability === undefined ? 'linearizability not checked' : `linearizability: ${result.linearizability.verdict} (${result.linearizability.model})`,
  ];
}
