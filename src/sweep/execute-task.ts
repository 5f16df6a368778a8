import { findProtocol } from '../protocols/registry.js';
import { runScenario } from '../run/run-scenario.js';
import { parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import { renderMessageGeneric, renderTraceEvent } from '../trace/render.js';
import { fail } from '../util/assert.js';
import type { Message } from '../protocol/effects.js';
import { renderRunHtml } from '../report/run-page/render-run-html.js';
import { runPageInput } from '../report/run-page/write-run-report.js';
import { seedFailed, type RunReply, type RunTask, type ScenarioText } from './task.js';

/**
 * Runs sweep tasks in whatever thread it lives in (a worker, or the caller's thread when a sweep
 * runs without workers). Scenarios are parsed once and kept by id.
 */
export class TaskExecutor {
  private readonly scenarios = new Map<number, Scenario | Error>();

  /** Parses a scenario; a failure is kept and reported by every task that names it. */
  addScenario(text: ScenarioText): void {
    try {
      this.scenarios.set(text.id, parseScenario(text.source, text.file));
    } catch (error) {
      this.scenarios.set(text.id, error as Error);
    }
  }

  execute(task: RunTask): RunReply {
    const scenario = this.scenarios.get(task.scenarioId);
    if (scenario === undefined) fail(`task ${task.taskId} names unknown scenario ${task.scenarioId}`);
    if (scenario instanceof Error) throw scenario;
    const output = runScenario(scenario, { seed: task.seed, keepTrace: task.traceLines, skipLinearizability: task.skipLinearizability });
    const result = { ...output.result, scenarioSource: '' };
    const history = seedFailed(result) ? output.history : undefined;
    const traceLines = task.traceLines ? renderTrace(scenario, output.trace ?? []) : undefined;
    const reportHtml = task.reportIfFailed === true && seedFailed(result) ? failureReport(scenario, task) : undefined;
    return { taskId: task.taskId, result, history, traceLines, ...(reportHtml === undefined ? {} : { reportHtml }) };
  }
}

/** The run report of a failing seed: the seed again with its trace kept (sweeps keep no trace). */
function failureReport(scenario: Scenario, task: RunTask): string {
  const output = runScenario(scenario, { seed: task.seed, keepTrace: true, skipLinearizability: task.skipLinearizability });
  const protocol = findProtocol(scenario.protocol.name);
  const renderMessage = protocol === undefined ? renderMessageGeneric : (message: Message) => protocol.renderMessage(message);
  return renderRunHtml(runPageInput(output, renderMessage, 'result.json (beside this page)'));
}

function renderTrace(scenario: Scenario, trace: NonNullable<ReturnType<typeof runScenario>['trace']>): string[] {
  const protocol = findProtocol(scenario.protocol.name);
  const renderMessage = protocol === undefined ? renderMessageGeneric : protocol.renderMessage;
  return trace.map((event) => renderTraceEvent(event, renderMessage));
}
