import { exitCodeFor } from '../run/exit-code.js';
import { ExitCode } from '../util/errors.js';
import type { SeedRun, SweepSummary } from './summary.js';

/** 128 + SIGINT, as shells report a command stopped by Ctrl-C (143 after SIGTERM: the caller says). */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * A sweep's exit code: 1 when any seed failed a check (or was nondeterministic, or passed where a
 * failure was expected), else 3 when seeds failed only on liveness, limits or unknown verdicts;
 * with no failure, 130 after an interruption, 3 after an internal error, 0 when complete.
 */
export function sweepExitCode(summary: SweepSummary, interruptedExitCode: number = INTERRUPTED_EXIT_CODE): number {
  const failed = summary.scenarios.flatMap((scenario) => scenario.runs.filter((run) => run.failed));
  if (failed.length > 0) return failed.some((run) => runExitCode(run) === ExitCode.checkFailed) ? ExitCode.checkFailed : ExitCode.limitOrLiveness;
  if (summary.status === 'interrupted') return interruptedExitCode;
  if (summary.status === 'error') return ExitCode.limitOrLiveness;
  return ExitCode.pass;
}

function runExitCode(run: SeedRun): number {
  if (run.divergence !== undefined || run.verdict === 'pass') return ExitCode.checkFailed;
  return exitCodeFor(run.verdict);
}
