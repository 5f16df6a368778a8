import type { HistoryEvent } from '../history/operation.js';
import type { RunResult } from '../run/run-result.js';

/** A scenario as it travels to a worker: its text, so the worker parses it exactly as we did. */
export interface ScenarioText {
  id: number;
  source: string;
  file: string | undefined;
}

/**
 * One run of one seed. `traceLines` asks for every trace event's stable text rendering (used to
 * name the first diverging event of a determinism failure; costly, so rare).
 */
export interface RunTask {
  taskId: number;
  scenarioId: number;
  seed: number;
  skipLinearizability: boolean;
  traceLines: boolean;
  /** When the seed fails, run it again with its trace kept and send back its run report (report.html). */
  reportIfFailed?: boolean;
}

/**
 * What comes back. `result.scenarioSource` is left empty on the way (the sender has the text);
 * `history` is present only when the seed failed (its verdict differs from `expect`).
 */
export interface RunReply {
  taskId: number;
  result: RunResult;
  history: HistoryEvent[] | undefined;
  traceLines: string[] | undefined;
  /** The failing seed's run report, when the task asked for it. */
  reportHtml?: string;
}

/** Messages from the main thread to a worker. */
export type ToWorker = { kind: 'scenario'; scenario: ScenarioText } | { kind: 'run'; task: RunTask };

/** Messages from a worker to the main thread. */
export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'done'; reply: RunReply }
  | { kind: 'error'; taskId: number; message: string }
  | { kind: 'setup-failed'; message: string };

export function seedFailed(result: RunResult): boolean {
  return result.verdict.kind !== result.expected;
}
