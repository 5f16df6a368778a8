import { getHeapStatistics } from 'node:v8';

/**
 * The time budget shared by all partitions of one check. Reading the clock and the heap's size
 * (MemoryBudget, below) are the only impure things the checker does; both are sampled, not read
 * on every step.
 */
export class TimeBudget {
  readonly startMs: number;
  readonly deadlineMs: number;

  constructor(timeoutMs: number) {
    this.startMs = performance.now(); // wall clock ok: checker time budget
    this.deadlineMs = this.startMs + timeoutMs;
  }

  expired(): boolean {
    return performance.now() > this.deadlineMs; // wall clock ok: checker time budget
  }

  elapsedMs(): number {
    return performance.now() - this.startMs; // wall clock ok: checker time budget
  }
}

/**
 * Resident memory of a Node process outside the JS heap and its buffers (code, ICU data, the
 * C heap): an empty Node 20 process is 42 MiB resident with a 4 MiB heap; on the stress history
 * the peak RSS stood 58 MiB above the heap-and-buffers figure. Part of it is counted here so
 * that the resident set, not just the heap, stays near the budget.
 */
const runtimeAllowanceBytes = 32 * 1024 * 1024;

/**
 * Bytes the checking thread holds now: its JS heap (committed), its buffers, V8's own mallocs,
 * and an allowance for the runtime outside them.
 */
export function threadBytes(): number {
  // Per isolate, so a worker thread sees its own memory; 2 µs per call, so it is sampled.
  const heap = getHeapStatistics();
  return heap.total_heap_size + heap.external_memory + heap.malloced_memory + runtimeAllowanceBytes;
}

/**
 * The memory budget of one check, shared by all its partitions. Two limits:
 *  - what the searches themselves hold (memo tables, their states; counted exactly on every
 *    allocation, before it is made) must stay under the budget;
 *  - once the searches hold more than `floorBytes`, the whole checking thread (the parsed
 *    history, the searches, garbage not yet collected) must stay under it too: its memory is
 *    sampled (`sample`, every 1,024 search steps) and what the searches allocate between two
 *    samples is added to the last sample before it is allocated.
 * The floor keeps a small search from being stopped by what the rest of a large process
 * (a test runner, a sweep worker) holds: such a search cannot be what exhausts it.
 * Released memory is not subtracted until the next sample shows it gone (it is garbage until
 * V8 collects it), so the estimate errs on the high side.
 */
export class MemoryBudget {
  readonly limitBytes: number;
  readonly floorBytes: number;
  /** Bytes the searches hold now, as counted. */
  private heldBytes = 0;
  private sampledBytes = 0;
  /** Bytes allocated by the searches since the last sample (releases not subtracted). */
  private allocatedSinceSample = 0;

  constructor(limitBytes: number, sampler: () => number = threadBytes) {
    this.limitBytes = limitBytes;
    this.floorBytes = Math.min(32 * 1024 * 1024, limitBytes / 4);
    this.sampler = sampler;
    this.sample();
  }

  private readonly sampler: () => number;

  /** Reads the thread's memory again. */
  sample(): void {
    this.sampledBytes = this.sampler();
    this.allocatedSinceSample = 0;
  }

  /** Whether `bytes` more can be allocated by a search without exceeding the budget. */
  allows(bytes: number): boolean {
    if (this.heldBytes + bytes > this.limitBytes) return false;
    if (this.heldBytes + bytes <= this.floorBytes) return true;
    return this.sampledBytes + this.allocatedSinceSample + bytes <= this.limitBytes;
  }

  /** Records an allocation that `allows` accepted. */
  allocate(bytes: number): void {
    this.heldBytes += bytes;
    this.allocatedSinceSample += bytes;
  }

  /** Records that a search dropped what it held (a finished or restarted search). */
  release(bytes: number): void {
    this.heldBytes = Math.max(0, this.heldBytes - bytes);
  }

  /** Bytes the searches hold now, as counted. */
  held(): number {
    return this.heldBytes;
  }

  /** The estimate of the thread's memory: the last sample plus what was allocated since. */
  estimate(): number {
    return this.sampledBytes + this.allocatedSinceSample;
  }
}
