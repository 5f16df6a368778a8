import type { RunOutput } from '../run/run-result.js';

/**
 * When the run's violation happened, from the recorded output: the step an invariant or assertion
 * stopped, or the completion of the first operation the linearizability checker could not order.
 * Undefined for a pass, and for verdicts that are about the whole run (liveness, limit).
 */
export function violationTime(output: RunOutput): number | undefined {
  const verdict = output.result.verdict;
  switch (verdict.kind) {
    case 'invariant':
    case 'assertion':
    case 'internal':
      return verdict.at?.time ?? output.result.simulatedTime;
    case 'not-linearizable':
    case 'unknown': {
      for (const partition of output.checked?.partitions ?? []) {
        if (partition.verdict !== 'not linearizable') continue;
        const operation = output.checked!.operations[partition.violation.blocked[0]?.operationId ?? -1];
        if (operation !== undefined) return Number.isFinite(operation.returnTime) ? operation.returnTime : operation.callTime;
      }
      return undefined;
    }
    case 'pass':
    case 'liveness':
    case 'limit':
    case 'inconsistent': // a consistency violation is a pattern over the history, not an instant
      return undefined;
    default:
      return verdict.kind satisfies never;
  }
}
