import type { RunResult } from '../run/run-result.js';
import { CHECKPOINT_INTERVAL } from '../trace/trace.js';
import type { Executed, RunExecutor } from './executor.js';
import type { Divergence } from './summary.js';
import type { RunTask } from './task.js';

/**
 * The determinism self-check: the same seed, run a second time on a different worker, must give
 * the same trace hash. Protocol code that reads ambient state (a module-level variable that
 * survives between runs, random numbers from outside the simulator, the wall clock) shows up here
 * as a divergence.
 */
export async function secondPass(executor: RunExecutor, task: Omit<RunTask, 'taskId'>, first: Executed, nameTheEvent: boolean): Promise<Divergence | undefined> {
  const placement = executor.size > 1 ? ({ kind: 'avoid', worker: first.worker } as const) : ({ kind: 'any' } as const);
  const second = await executor.run(task, placement);
  const a = first.reply.result;
  const b = second.reply.result;
  if (a.traceHash === b.traceHash) return undefined;
  const window = checkpointWindow(a, b);
  const divergence: Divergence = {
    workers: [first.worker, second.worker],
    traceHashes: [a.traceHash, b.traceHash],
    ...window,
    eventIndex: undefined,
    first: undefined,
    second: undefined,
  };
  if (nameTheEvent) await nameFirstDifference(executor, task, divergence);
  return divergence;
}

/** The first range of `CHECKPOINT_INTERVAL` events whose closing hashes differ. */
export function checkpointWindow(a: RunResult, b: RunResult): { windowStart: number; windowEnd: number } {
  let window = 0;
  while (window < a.checkpoints.length && window < b.checkpoints.length && a.checkpoints[window] === b.checkpoints[window]) window++;
  const windowStart = window * CHECKPOINT_INTERVAL;
  const shorter = Math.min(a.traceEvents, b.traceEvents);
  const windowEnd = Math.max(windowStart, Math.min(shorter, windowStart + CHECKPOINT_INTERVAL) - 1);
  return { windowStart, windowEnd };
}

/** Traced re-runs on the first worker, each compared with one traced re-run on the second. */
const NAMING_ATTEMPTS_MAX = 3;

/**
 * Runs the seed again with every event kept, on each of the two workers, and compares the event
 * texts. Ambient state has moved on since the first passes, so the re-runs may differ elsewhere
 * than the originals did, or happen to agree (a counter can reach the same value in both
 * threads); then the first worker tries again, a few times. If they never disagree, only the
 * checkpoint window is reported.
 */
async function nameFirstDifference(executor: RunExecutor, task: Omit<RunTask, 'taskId'>, divergence: Divergence): Promise<void> {
  const traced = { ...task, traceLines: true };
  const [firstWorker, secondWorker] = divergence.workers;
  const b = (await executor.run(traced, { kind: 'on', worker: secondWorker })).reply.traceLines ?? [];
  for (let attempt = 0; attempt < NAMING_ATTEMPTS_MAX; attempt++) {
    const a = (await executor.run(traced, { kind: 'on', worker: firstWorker })).reply.traceLines ?? [];
    const index = firstDifference(a, b);
    if (index === undefined) continue;
    divergence.eventIndex = index;
    divergence.first = a[index] ?? '(no event: this run had ended)';
    divergence.second = b[index] ?? '(no event: this run had ended)';
    return;
  }
}

export function firstDifference(a: readonly string[], b: readonly string[]): number | undefined {
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) if (a[index] !== b[index]) return index;
  return undefined;
}
