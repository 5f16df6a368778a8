import { parentPort, workerData } from 'node:worker_threads';
import { assert, unreachable } from '../util/assert.js';
import { InputError } from '../util/errors.js';
import { TaskExecutor } from './execute-task.js';
import { loadSetupModules } from './setup-modules.js';
import type { FromWorker, ToWorker } from './task.js';

/**
 * A sweep worker: loads the setup modules, then runs tasks one at a time as they arrive. It keeps
 * nothing between runs except parsed scenarios, so any state that does leak between runs comes
 * from protocol code — which is exactly what `--check-determinism` is there to catch.
 */
export interface WorkerSetup {
  setupModules: string[];
}

const port = parentPort;
assert(port !== null, 'src/sweep/worker.ts runs only as a worker thread');
const setup = workerData as WorkerSetup;
const executor = new TaskExecutor();
const post = (message: FromWorker) => port.postMessage(message);

try {
  await loadSetupModules(setup.setupModules);
  post({ kind: 'ready' });
} catch (error) {
  post({ kind: 'setup-failed', message: (error as Error).message });
}

port.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'scenario':
      executor.addScenario(message.scenario);
      return;
    case 'run':
      try {
        post({ kind: 'done', reply: executor.execute(message.task) });
      } catch (error) {
        post({ kind: 'error', taskId: message.task.taskId, message: describeError(error) });
      }
      return;
    default:
      unreachable(message, 'message to a worker');
  }
});

/** An InputError as its one line (with a hint for protocols only the main thread knows); anything else with its stack. */
function describeError(error: unknown): string {
  if (!(error instanceof InputError)) return (error as Error).stack ?? String(error);
  const hint = /unknown protocol/.test(error.message) ? ' (in a worker thread: register it with a setup module, --import or setupModules)' : '';
  return error.describe() + hint;
}
