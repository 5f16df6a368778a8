import type { HistoryEvent } from '../../history/operation.js';

/** The history formats `faultline check` reads. */
export const historyFormats = ['jsonl', 'edn', 'porcupine-etcd', 'porcupine-kv'] as const;
export type HistoryFormat = (typeof historyFormats)[number];

/** Events in file order with the 1-based line each came from. */
export interface ParsedHistory {
  readonly format: HistoryFormat;
  readonly file?: string;
  readonly events: HistoryEvent[];
  readonly lines: number[];
  /** Events of non-client processes (Jepsen's nemesis) that were skipped. */
  readonly nemesisEvents?: number;
  /** Things the reader should know that do not stop the check (e.g. :time going backwards). */
  readonly warnings?: readonly string[];
}
