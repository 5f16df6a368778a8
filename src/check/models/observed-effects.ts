import type { Operation } from '../operation.js';

/**
 * An indeterminate operation whose effect a completed operation observed did take effect, and
 * took it before that observer returned: an enqueue of x dequeued by a completed dequeue, an add
 * of x seen by a completed read. Such an operation can be searched as a completed one, returning
 * at the observer's return. That is exact, not an approximation: in every linearization the
 * writer precedes its observer, and the observer precedes its own return.
 *
 * It needs to know who wrote what, so it applies only to elements written by exactly one
 * operation (the workloads write unique values). Without it the search must consider an
 * indeterminate operation at every point after its invocation — what makes histories with
 * timed-out writes explode.
 *
 * `written(op)` is the element an operation writes (undefined for others); `observed(op)` the
 * elements a completed operation saw.
 */
export function completeObservedEffects<I, O>(
  operations: readonly Operation<I, O>[],
  written: (operation: Operation<I, O>) => string | undefined,
  observed: (operation: Operation<I, O>) => readonly string[],
): Operation<I, O>[] {
  const writers = new Map<string, number>();
  for (const operation of operations) {
    const element = written(operation);
    if (element !== undefined) writers.set(element, (writers.get(element) ?? 0) + 1);
  }
  const earliestObservation = new Map<string, number>();
  for (const operation of operations) {
    if (operation.outcome !== 'ok') continue;
    for (const element of observed(operation)) {
      const seen = earliestObservation.get(element);
      if (seen === undefined || operation.returnTime < seen) earliestObservation.set(element, operation.returnTime);
    }
  }
  let changed = false;
  const result = operations.map((operation) => {
    if (operation.outcome !== 'info') return operation;
    const element = written(operation);
    if (element === undefined || writers.get(element) !== 1) return operation;
    const observedBy = earliestObservation.get(element);
    // An observation before the write was even invoked is a violation the search will report.
    if (observedBy === undefined || observedBy < operation.callTime) return operation;
    changed = true;
    return { ...operation, outcome: 'ok' as const, output: null as O, returnTime: observedBy };
  });
  return changed ? result : (operations as Operation<I, O>[]);
}
