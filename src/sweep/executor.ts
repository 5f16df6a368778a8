import type { RunReply, RunTask, ScenarioText } from './task.js';

/**
 * Where a task may run. The determinism check runs a seed's second pass anywhere but where the
 * first ran (`avoid`), and re-runs each side on its own worker (`on`) to name the diverging event.
 */
export type Placement = { kind: 'any' } | { kind: 'avoid'; worker: number } | { kind: 'on'; worker: number };

export interface Executed {
  /** Which worker ran it (0 for the caller's thread). */
  worker: number;
  reply: RunReply;
}

/** Runs tasks: a pool of worker threads, or the caller's own thread. */
export interface RunExecutor {
  /** How many independent workers there are (1 for the caller's thread). */
  readonly size: number;
  addScenario(scenario: ScenarioText): void;
  run(task: Omit<RunTask, 'taskId'>, placement: Placement): Promise<Executed>;
  /** Stops at once: tasks in flight are abandoned and their promises rejected with `Cancelled`. */
  close(): Promise<void>;
}

/** A task abandoned because the executor closed (e.g. on SIGINT). */
export class Cancelled extends Error {
  override readonly name = 'Cancelled';
}
