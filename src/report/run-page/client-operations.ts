import type { CheckedHistory } from '../../check/check-history.js';
import type { HistoryEvent } from '../../history/operation.js';

/** Outcome codes in the page (Jepsen's colours: ok green, fail pink, info yellow). */
export const OutcomeCode = { ok: 0, fail: 1, info: 2, pending: 3 } as const;

/** Where an operation stands in the checker's explanation. */
export const ExplanationRole = { none: 0, linearized: 1, offending: 2 } as const;

/** One bar per client operation, from invocation to completion (column-oriented). */
export interface OperationColumns {
  client: number[];
  process: number[];
  start: number[];
  /** -1: never completed (pending at the end). */
  end: number[];
  outcome: number[];
  label: string[];
  role: number[];
}

/**
 * Pairs the history's invocations with their completions (a process has one operation
 * outstanding at a time) and marks the checker's explanation: the longest linearizable prefix
 * and the operations that could not follow it.
 */
export function clientOperations(history: readonly HistoryEvent[], processClients: readonly number[], checked: CheckedHistory | undefined): OperationColumns {
  const columns: OperationColumns = { client: [], process: [], start: [], end: [], outcome: [], label: [], role: [] };
  const openByProcess = new Map<number, number>();
  const byInvokeIndex = new Map<number, number>();
  history.forEach((event, index) => {
    if (event.type === 'invoke') {
      const id = columns.start.length;
      columns.client.push(processClients[event.process] ?? event.process);
      columns.process.push(event.process);
      columns.start.push(event.time);
      columns.end.push(-1);
      columns.outcome.push(OutcomeCode.pending);
      columns.label.push(`${event.f}${event.key === undefined ? '' : ` ${event.key}`}${event.value === null ? '' : ` ${JSON.stringify(event.value)}`}`);
      columns.role.push(ExplanationRole.none);
      openByProcess.set(event.process, id);
      byInvokeIndex.set(index, id);
      return;
    }
    const id = openByProcess.get(event.process);
    if (id === undefined) return;
    openByProcess.delete(event.process);
    columns.end[id] = event.time;
    columns.outcome[id] = OutcomeCode[event.type];
    const shown = event.type === 'ok' ? (event.value === null ? 'ok' : `→ ${JSON.stringify(event.value)}`) : `${event.type}${event.error === undefined ? '' : ` (${event.error})`}`;
    columns.label[id] += ` ${shown}`;
  });
  if (checked !== undefined) markExplanation(columns, checked, byInvokeIndex);
  return columns;
}

function markExplanation(columns: OperationColumns, checked: CheckedHistory, byInvokeIndex: Map<number, number>): void {
  const ours = (operationId: number) => byInvokeIndex.get(checked.operations[operationId]?.invokeIndex ?? -1);
  for (const partition of checked.partitions) {
    if (partition.verdict !== 'not linearizable') continue;
    for (const operationId of partition.violation.prefix) {
      const id = ours(operationId);
      if (id !== undefined) columns.role[id] = ExplanationRole.linearized;
    }
    for (const blocked of partition.violation.blocked) {
      const id = ours(blocked.operationId);
      if (id !== undefined) columns.role[id] = ExplanationRole.offending;
    }
  }
}

/** The operations the explanation says could not be ordered, in call order. */
export function offendingOperations(columns: OperationColumns): number[] {
  const ids: number[] = [];
  for (let id = 0; id < columns.role.length; id++) if (columns.role[id] === ExplanationRole.offending) ids.push(id);
  return ids;
}
