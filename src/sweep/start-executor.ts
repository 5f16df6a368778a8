import { availableParallelism } from 'node:os';
import { InputError } from '../util/errors.js';
import type { RunExecutor } from './executor.js';
import { InThreadExecutor } from './in-thread-executor.js';
import { WorkerPool } from './worker-pool.js';

/** `auto` (one per core), a count ≥ 1 of worker threads, or 0: the caller's own thread. */
export type WorkerCount = number | 'auto';

export function parseWorkerCount(text: string): WorkerCount {
  if (text === 'auto') return 'auto';
  const count = Number(text);
  if (!Number.isInteger(count) || count < 0) throw new InputError(`expected --workers auto or a number of worker threads (got ${JSON.stringify(text)})`);
  return count;
}

/**
 * The worker threads to start: `auto` is one per core, and a larger number is capped at the
 * cores (more threads than cores only add memory: `--workers 1000` once took 10 GB). `capped`
 * says what was asked for, so the CLI can say so.
 */
export function resolveWorkerCount(workers: WorkerCount, cores = availableParallelism()): { count: number; capped?: number } {
  if (workers === 'auto') return { count: cores };
  return workers > cores ? { count: cores, capped: workers } : { count: workers };
}

/**
 * Starts what runs a sweep's seeds. The determinism check needs two workers to run a seed in two
 * different threads, so it gets at least two unless the sweep runs in the caller's thread.
 */
export async function startExecutor(workers: WorkerCount, checkDeterminism: boolean, setupModules: readonly string[]): Promise<RunExecutor> {
  const { count } = resolveWorkerCount(workers);
  if (count === 0) return new InThreadExecutor();
  return WorkerPool.start(checkDeterminism ? Math.max(2, count) : count, setupModules);
}
