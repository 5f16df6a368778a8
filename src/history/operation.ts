/**
 * The client history: what every simulated client asked and what it was told. It is the only
 * thing the linearizability checker reads, and its JSON-lines form is also what
 * `faultline check` accepts from outside.
 *
 * One line per event:
 *   {"process":3,"type":"invoke","f":"write","key":"x","value":"v17","time":120000}
 *   {"process":3,"type":"ok","f":"write","key":"x","value":"v17","time":131000}
 *
 * - `process`: the client; a client has at most one operation outstanding. After an `info`
 *   completion the process never issues again (Jepsen's rule); the workload gives the client a
 *   new process number.
 * - `type`: `invoke`, then exactly one of `ok` (took effect, with its output), `fail`
 *   (definitely did not take effect) or `info` (unknown: may take effect at any later time, or
 *   never). An invocation with no completion at the end of the history is treated as `info`.
 * - `f`, `key`, `value`: the operation; see each model in src/check/models for what the value
 *   holds at invocation and at completion (e.g. a `read` invokes with null and completes with the
 *   value read; a `cas` has `[expected, new]`).
 * - `time`: simulated microseconds (any monotone integer clock for outside histories).
 * - `error` (optional, on `fail` and `info`): why. A `fail` with error `unavailable` means the
 *   client gave up before any node evaluated the operation: it observed nothing, unlike a cas
 *   whose comparison failed.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

export interface HistoryEvent {
  process: number;
  type: EventType;
  f: string;
  key?: string;
  value: Json;
  time: number;
  error?: string;
}

/** The error a client records when it gave up without any node evaluating the operation. */
export const UNAVAILABLE = 'unavailable';

export type History = HistoryEvent[];

export function historyToJsonLines(history: History): string {
  let out = '';
  for (const event of history) out += JSON.stringify(event) + '\n';
  return out;
}
