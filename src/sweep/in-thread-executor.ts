import { setImmediate as yieldToEventLoop } from 'node:timers/promises'; // wall clock ok: yields between runs, reads no time
import { TaskExecutor } from './execute-task.js';
import { Cancelled, type Executed, type Placement, type RunExecutor } from './executor.js';
import type { RunTask, ScenarioText } from './task.js';

/**
 * Runs tasks one after another in the caller's thread. For library use where the protocol lives
 * in TypeScript that worker threads cannot load, and for tiny sweeps. Between runs it yields to
 * the event loop, so an abort signal (or SIGINT) gets a chance to stop it.
 */
export class InThreadExecutor implements RunExecutor {
  readonly size = 1;
  private readonly executor = new TaskExecutor();
  private nextTaskId = 1;
  private closed = false;
  private chain: Promise<unknown> = Promise.resolve();

  addScenario(scenario: ScenarioText): void {
    this.executor.addScenario(scenario);
  }

  run(task: Omit<RunTask, 'taskId'>, _placement: Placement): Promise<Executed> {
    const taskId = this.nextTaskId++;
    const next = this.chain.then(async () => {
      await yieldToEventLoop();
      if (this.closed) throw new Cancelled('the sweep stopped');
      return { worker: 0, reply: this.executor.execute({ ...task, taskId }) };
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
