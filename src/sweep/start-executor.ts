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
 * Starts what runs a sweep's seeds. The determinism check needs two workers to run a seed in two
 * different threads, so it gets at least two unless the sweep runs in the caller's thread.
 */
export async function startExecutor(workers: WorkerCount, checkDeterminism: boolean, setupModules: readonly string[]): Promise<RunExecutor> {
  const count = workers === 'auto' ? availableParallelism() : workers;
  if (count === 0) return new InThreadExecutor();
  return WorkerPool.start(checkDeterminism ? Math.max(2, count) : count, setupModules);
}
