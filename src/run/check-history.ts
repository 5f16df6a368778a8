import { checkHistory, modelByName, type CheckedHistory } from '../check/index.js';
import type { HistoryEvent } from '../history/operation.js';
import { InputError } from '../util/errors.js';
import type { LinearizabilitySummary } from './run-result.js';

/** How long one run's history may be checked before the verdict is `unknown`. */
export const RUN_CHECK_TIMEOUT_MS = 20_000;

/**
 * Checks a simulated history with the checker library. The key-value service names its
 * operations read / write / append with `null` for an absent key; Porcupine's kv model (which the
 * checker implements) says get / put / append with "" — the only translation needed.
 */
export function checkRunHistory(
  history: readonly HistoryEvent[],
  modelName: string,
  options: { candidate?: readonly number[] } = {},
): { summary: LinearizabilitySummary; checked: CheckedHistory } {
  const model = modelByName(modelName);
  if (model === undefined) throw new InputError(`unknown linearizability model "${modelName}"`, undefined, undefined, undefined, 'check.linearizability');
  // Failures with error `unavailable` (no node evaluated them) are left out by the checker itself.
  const input = translateForModel(history, modelName);
  // The certificate: the order in which nodes answered (translateForModel keeps positions).
  const checked = checkHistory(input, model, { timeoutMs: RUN_CHECK_TIMEOUT_MS, candidate: options.candidate });
  const summary: LinearizabilitySummary = {
    model: modelName,
    verdict: checked.verdict,
    operations: checked.operationCount,
    partitions: checked.partitions.length,
    elapsedMs: Math.round(checked.elapsedMs),
    decidedBy: decidedBy(checked),
    explanation: explain(checked),
  };
  return { summary, checked };
}

/**
 * The service's names and empty values, in the words of each model: an absent key reads as
 * null, which a kv model calls "", a counter 0 and a set []; a set's add is the service's sadd.
 */
export function translateForModel(history: readonly HistoryEvent[], modelName: string): readonly HistoryEvent[] {
  switch (modelName) {
    case 'kv':
      return history.map(toKvModel);
    case 'counter':
      return history.map((event) => (event.f === 'read' && event.type === 'ok' && event.value === null ? { ...event, value: 0 } : event));
    case 'set':
      return history.map((event) => {
        if (event.f === 'sadd') return { ...event, f: 'add' };
        return event.f === 'read' && event.type === 'ok' && event.value === null ? { ...event, value: [] } : event;
      });
    default:
      return history;
  }
}

function toKvModel(event: HistoryEvent): HistoryEvent {
  switch (event.f) {
    case 'read':
      return { ...event, f: 'get', value: event.type === 'ok' && event.value === null ? '' : event.value };
    case 'write':
      return { ...event, f: 'put' };
    default:
      return event;
  }
}

/** One paragraph: the failing partition, what it could not order, and the state it was in. */
function explain(checked: CheckedHistory): string {
  for (const partition of checked.partitions) {
    if (partition.verdict === 'not linearizable') {
      const blocked = partition.violation.blocked.map((operation) => operation.description).slice(0, 4).join('; ');
      return `key ${partition.key}: ${partition.violation.summary} Candidates: ${blocked}`;
    }
  }
  for (const partition of checked.partitions) {
    if (partition.verdict === 'unknown') return `key ${partition.key}: no verdict (${partition.reason}) after ${partition.configurations} configurations`;
  }
  return '';
}

/** Which paths decided the partitions, most used first: "certificate", "search 2, certificate 8". */
function decidedBy(checked: CheckedHistory): string {
  const counts = new Map<string, number>();
  for (const partition of checked.partitions) counts.set(partition.decidedBy, (counts.get(partition.decidedBy) ?? 0) + 1);
  if (counts.size <= 1) return [...counts.keys()].join('');
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([path, count]) => `${path} ${count}`)
    .join(', ');
}
