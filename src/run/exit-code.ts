import type { VerdictKind } from '../scenario/scenario.js';
import { unreachable } from '../util/assert.js';
import { ExitCode } from '../util/errors.js';

/** The documented exit code for a verdict (README.md, "Exit codes"). */
export function exitCodeFor(verdict: VerdictKind): ExitCode {
  switch (verdict) {
    case 'pass':
      return ExitCode.pass;
    case 'not-linearizable':
    case 'inconsistent':
    case 'invariant':
    case 'assertion':
      return ExitCode.checkFailed;
    case 'liveness':
    case 'limit':
    case 'unknown':
      return ExitCode.limitOrLiveness;
    case 'internal':
      return ExitCode.internal;
    default:
      return unreachable(verdict, 'verdict');
  }
}

/**
 * The exit code of `run` and `check` against what the scenario expects, by the rule `sweep` uses:
 * the expected verdict is a success (0), even a failure such as `not-linearizable`; a pass where a
 * failure was expected is a failure (1: the bug was not caught); any other unexpected verdict
 * keeps its own code. `--raw-exit-code` gives `exitCodeFor(verdict)` instead.
 */
export function expectedExitCode(verdict: VerdictKind, expected: VerdictKind): ExitCode {
  if (verdict === expected) return ExitCode.pass;
  if (verdict === 'pass') return ExitCode.checkFailed;
  return exitCodeFor(verdict);
}
