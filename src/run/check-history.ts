import type { HistoryEvent } from '../history/operation.js';
import type { LinearizabilitySummary } from './run-result.js';

/** Placeholder until the checker lands: reports the check as skipped, never as a pass. */
export function checkRunHistory(history: HistoryEvent[], model: string): LinearizabilitySummary {
  return { model, verdict: 'skipped', operations: history.length, partitions: 0, elapsedMs: 0, explanation: 'linearizability checker not wired in yet' };
}
