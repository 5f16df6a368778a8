import type { RunResult } from '../run/run-result.js';
import type { VerdictKind } from '../scenario/scenario.js';

/** What "the same failure" means while shrinking: the verdict kind, and which invariant broke. */
export interface FailureSignature {
  kind: VerdictKind;
  /** For `invariant` verdicts: the observer's name. */
  invariant: string | undefined;
}

export function signatureOf(result: RunResult): FailureSignature {
  const invariant = result.verdict.kind === 'invariant' ? /^invariant (\S+) violated/.exec(result.verdict.detail)?.[1] : undefined;
  return { kind: result.verdict.kind, invariant };
}

export function sameFailure(a: FailureSignature, b: FailureSignature): boolean {
  return a.kind === b.kind && a.invariant === b.invariant;
}

export function describeSignature(signature: FailureSignature): string {
  return signature.invariant === undefined ? signature.kind : `${signature.kind} ${signature.invariant}`;
}
