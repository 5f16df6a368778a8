import type { CheckedHistory } from '../check/check-history.js';
import type { ConsistencyReport } from '../check/consistency/check-consistency.js';
import type { AnyModel } from '../check/model.js';
import type { Operation } from '../check/operation.js';
import type { HistoryEvent } from '../history/operation.js';
import { escapeBidi } from '../util/bidi.js';

/** Operation status codes in the page: what colour a bar gets. */
export const BarStatus = { plain: 0, linearized: 1, offending: 2 } as const;

/** Column-oriented so that 100,000 operations stay a few megabytes of JSON. */
export interface HistoryPageData {
  readonly title: string;
  readonly model: string;
  readonly verdict: string;
  readonly elapsedMs: number;
  readonly processes: number[];
  readonly partitions: { key: string; verdict: string; summary: string; state: string; order: number[]; offending: number[] }[];
  /** Per operation, by id. `end` is null for an indeterminate operation (open-ended). */
  readonly lane: number[];
  readonly start: number[];
  readonly end: (number | null)[];
  readonly partition: number[];
  readonly status: number[];
  readonly outcome: string[];
  readonly label: string[];
  readonly timeMin: number;
  readonly timeMax: number;
  /** The consistency ladder, when it was checked: one row per model, strongest first. */
  readonly ladder: LadderRow[] | null;
  readonly strongest: string[];
}

export interface LadderRow {
  readonly model: string;
  readonly verdict: string;
  /** The explanation of a violation, the reason for unknown, or which model implied it. */
  readonly detail: string;
  readonly operations: number[];
}

function ladderRows(report: ConsistencyReport): LadderRow[] {
  return report.verdicts.map((verdict) => {
    const implied = verdict.verdict !== 'unknown' && verdict.impliedBy !== undefined ? `implied by ${verdict.impliedBy}` : '';
    switch (verdict.verdict) {
      case 'holds':
        return { model: verdict.model, verdict: 'holds', detail: implied, operations: [] };
      case 'violated':
        return { model: verdict.model, verdict: 'violated', detail: verdict.violation.summary, operations: [...verdict.violation.operations] };
      case 'unknown':
        return { model: verdict.model, verdict: 'unknown', detail: verdict.reason, operations: [] };
      default: {
        const never: never = verdict;
        return never;
      }
    }
  });
}

/** Gathers what the page shows from a checked history. */
export function historyPageData(result: CheckedHistory, history: readonly HistoryEvent[], model: AnyModel, title: string, ladder?: ConsistencyReport): HistoryPageData {
  const processes = [...new Set(result.operations.map((operation) => operation.process))].sort((a, b) => a - b);
  const laneOf = new Map(processes.map((process, index) => [process, index] as const));
  const partitionIndex = new Map(result.partitions.map((partition, index) => [partition.key, index] as const));
  const status = new Array<number>(result.operations.length).fill(BarStatus.plain);
  const partitions = result.partitions.map((partition) => {
    const order = partition.verdict === 'linearizable' ? [...partition.linearization] : partition.verdict === 'not linearizable' ? [...partition.violation.prefix] : [...partition.prefix];
    const offending = partition.verdict === 'not linearizable' ? partition.violation.blocked.map((blocked) => blocked.operationId) : [];
    for (const id of order) status[id] = BarStatus.linearized;
    for (const id of offending) status[id] = BarStatus.offending;
    const summary = partition.verdict === 'not linearizable' ? partition.violation.summary : partition.verdict === 'unknown' ? `unknown: ${partition.reason}` : 'linearizable';
    const state = partition.verdict === 'not linearizable' ? partition.violation.stateDescription : '';
    return { key: escapeBidi(partition.key), verdict: partition.verdict, summary: escapeBidi(summary), state: escapeBidi(state), order, offending };
  });
  // Events are in time order, so the first and last bound the history.
  const timeMin = history[0]?.time ?? 0;
  const timeMax = Math.max(history[history.length - 1]?.time ?? 1, timeMin + 1);
  // Every string shown passes escapeBidi: a right-to-left override must not reorder the page either.
  const label = (operation: Operation): string => escapeBidi(`${model.describeOperation(operation.input, operation.output)}${operation.key === '' ? '' : ` [${operation.key}]`}`);
  return {
    title: escapeBidi(title),
    model: model.name,
    verdict: result.verdict,
    elapsedMs: result.elapsedMs,
    processes,
    partitions,
    lane: result.operations.map((operation) => laneOf.get(operation.process) as number),
    start: result.operations.map((operation) => operation.callTime),
    end: result.operations.map((operation) => (Number.isFinite(operation.returnTime) ? operation.returnTime : null)),
    partition: result.operations.map((operation) => partitionIndex.get(operationPartitionKey(result, operation)) ?? 0),
    status,
    outcome: result.operations.map((operation) => operation.outcome),
    label: result.operations.map(label),
    timeMin,
    timeMax,
    ladder: ladder === undefined ? null : ladderRows(ladder),
    strongest: ladder === undefined ? [] : [...ladder.strongest],
  };
}

/** The partition an operation was checked in (the model may split keys further). */
function operationPartitionKey(result: CheckedHistory, operation: Operation): string {
  if (result.partitions.some((partition) => partition.key === operation.key)) return operation.key;
  return result.partitions.find((partition) => partition.key.startsWith(operation.key + '/'))?.key ?? operation.key;
}

/**
 * JSON safe to place inside a <script> element: `<`, `>`, `&` and the two JavaScript line
 * separators are escaped, so a value such as `</script><img onerror=…>` stays data.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
