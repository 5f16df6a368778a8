import { InputError } from '../util/errors.js';

export interface CheckOptions {
  /** Wall-clock budget for the whole check; `unknown` when exceeded. */
  readonly timeoutMs?: number;
  /**
   * Memory budget of the whole check (see MemoryBudget): what the searches hold, and, once they
   * hold more than a quarter of it (at most 32 MiB), the checking thread's heap and buffers;
   * `unknown` (memory budget) before it would be exceeded.
   */
  readonly memoryMb?: number;
}

export interface ResolvedCheckOptions {
  readonly timeoutMs: number;
  readonly memoryBytes: number;
}

export const defaultTimeoutMs = 60_000;
export const defaultMemoryMb = 512;

export function resolveCheckOptions(options: CheckOptions = {}): ResolvedCheckOptions {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const memoryMb = options.memoryMb ?? defaultMemoryMb;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new InputError(`timeoutMs must be a positive number, got ${timeoutMs}`, undefined, undefined, undefined, 'timeoutMs');
  }
  if (!Number.isFinite(memoryMb) || memoryMb <= 0) {
    throw new InputError(`memoryMb must be a positive number, got ${memoryMb}`, undefined, undefined, undefined, 'memoryMb');
  }
  return { timeoutMs, memoryBytes: memoryMb * 1024 * 1024 };
}
