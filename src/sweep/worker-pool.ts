import { Worker } from 'node:worker_threads';
import { assert, fail, unreachable } from '../util/assert.js';
import { Cancelled, type Executed, type Placement, type RunExecutor } from './executor.js';
import type { FromWorker, RunTask, ScenarioText, ToWorker } from './task.js';
import type { WorkerSetup } from './worker.js';

/**
 * The compiled worker entry. `src/sweep` and `dist/sweep` sit at the same depth, so this resolves
 * to dist/sweep/worker.js whether this module runs compiled or from source under a test runner
 * (worker threads load compiled JavaScript only: `npm run build` first).
 */
export const WORKER_SCRIPT = new URL('../../dist/sweep/worker.js', import.meta.url);

interface QueuedTask {
  task: RunTask;
  placement: Placement;
  resolve(executed: Executed): void;
  reject(error: Error): void;
}

interface Slot {
  id: number;
  worker: Worker;
  current: QueuedTask | undefined;
  /** Set once its setup modules have loaded; only ready workers take tasks. */
  ready: boolean;
}

/**
 * A small fixed pool of worker threads. Tasks wait in one queue; an idle worker takes the first
 * task its placement allows. A worker that dies is replaced, and the task it held fails.
 */
export class WorkerPool implements RunExecutor {
  private readonly slots: Slot[] = [];
  private readonly queue: QueuedTask[] = [];
  private readonly scenarios: ScenarioText[] = [];
  private nextTaskId = 1;
  private closed = false;
  /** Workers that died outside a task's error handling may be replaced this many times in all. */
  private replacementsLeft: number;

  private constructor(
    readonly size: number,
    private readonly setup: WorkerSetup,
  ) {
    this.replacementsLeft = size * 2;
  }

  /** Starts `size` workers and waits until each has loaded its setup modules. */
  static async start(size: number, setupModules: readonly string[]): Promise<WorkerPool> {
    if (!(Number.isInteger(size) && size >= 1)) fail(`a pool needs at least one worker, got ${size}`);
    const pool = new WorkerPool(size, { setupModules: [...setupModules] });
    try {
      await Promise.all(Array.from({ length: size }, (_, id) => pool.spawn(id)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  addScenario(scenario: ScenarioText): void {
    this.scenarios.push(scenario);
    for (const slot of this.slots) this.post(slot, { kind: 'scenario', scenario });
  }

  run(task: Omit<RunTask, 'taskId'>, placement: Placement): Promise<Executed> {
    if (this.closed) return Promise.reject(new Cancelled('the pool is closed'));
    if (placement.kind === 'on' && placement.worker >= this.size) fail(`no worker ${placement.worker}`);
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { ...task, taskId: this.nextTaskId++ }, placement, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const cancelled = new Cancelled('the sweep stopped');
    for (const queued of this.queue.splice(0)) queued.reject(cancelled);
    for (const slot of this.slots) {
      slot.current?.reject(cancelled);
      slot.current = undefined;
    }
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(id: number): Promise<void> {
    const worker = new Worker(WORKER_SCRIPT, { workerData: this.setup });
    const slot: Slot = { id, worker, current: undefined, ready: false };
    this.slots[id] = slot;
    for (const scenario of this.scenarios) this.post(slot, { kind: 'scenario', scenario });
    return new Promise((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        switch (message.kind) {
          case 'ready':
            slot.ready = true;
            resolve();
            this.dispatch();
            return;
          case 'setup-failed':
            reject(new Error(message.message));
            return;
          case 'done':
            this.finish(slot, (queued) => queued.resolve({ worker: id, reply: message.reply }));
            return;
          case 'error':
            this.finish(slot, (queued) => queued.reject(new Error(`worker ${id}, task ${message.taskId}: ${message.message}`)));
            return;
          default:
            unreachable(message, 'worker message');
        }
      });
      worker.on('error', (error) => {
        reject(error);
        this.replace(slot, error);
      });
      worker.on('exit', (code) => this.replace(slot, new Error(`worker ${id} exited with code ${code}`)));
    });
  }

  private finish(slot: Slot, settle: (queued: QueuedTask) => void): void {
    const queued = slot.current;
    slot.current = undefined;
    if (queued !== undefined) settle(queued);
    this.dispatch();
  }

  /** A worker died outside a task's own error handling: fail its task and start a fresh worker. */
  private replace(slot: Slot, error: Error): void {
    if (this.closed || this.slots[slot.id] !== slot) return;
    slot.current?.reject(error);
    slot.current = undefined;
    void slot.worker.terminate();
    if (this.replacementsLeft-- > 0) {
      this.spawn(slot.id).catch(() => undefined);
      return;
    }
    for (const queued of this.queue.splice(0)) queued.reject(new Error(`workers keep dying; last: ${error.message}`));
    void this.close();
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot === undefined || !slot.ready || slot.current !== undefined) continue;
      const index = this.queue.findIndex((queued) => allows(queued.placement, slot.id));
      if (index < 0) continue;
      const [queued] = this.queue.splice(index, 1);
      slot.current = queued;
      this.post(slot, { kind: 'run', task: queued!.task });
    }
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }
}

function allows(placement: Placement, worker: number): boolean {
  switch (placement.kind) {
    case 'any':
      return true;
    case 'avoid':
      return placement.worker !== worker;
    case 'on':
      return placement.worker === worker;
    default:
      return unreachable(placement, 'placement');
  }
}
