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
    default:
      return unreachable(verdict, 'verdict');
  }
}
