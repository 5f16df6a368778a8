import type { AnyModel, Operation } from '../../src/check/index.js';

/**
 * The naive oracle: tries every order of the operations that respects real time (A before B
 * when A returned before B was invoked), with every subset of the indeterminate operations, on
 * one composite state holding a model state per key. No memo, no partitioning, no pruning: it
 * is slow and obviously right, which is the point.
 */
export function bruteForceLinearizable(model: AnyModel, operations: readonly Operation[]): boolean {
  const done = new Array<boolean>(operations.length).fill(false);
  const mustFinish = operations.filter((operation) => operation.outcome !== 'info').length;
  const search = (states: ReadonlyMap<string, unknown>, finished: number): boolean => {
    if (finished === mustFinish) return true;
    for (let index = 0; index < operations.length; index++) {
      if (done[index]) continue;
      const operation = operations[index] as Operation;
      if (!mayGoNext(index)) continue;
      const result = model.step(states.get(operation.key) ?? model.init(), operation.input, operation.output);
      if (!result.legal) continue;
      done[index] = true;
      const next = new Map(states).set(operation.key, result.next);
      const found = search(next, finished + (operation.outcome === 'info' ? 0 : 1));
      done[index] = false;
      if (found) return true;
    }
    return false;
  };
  /** Every determinate operation that returned before this one was invoked is already placed. */
  const mayGoNext = (index: number): boolean =>
    operations.every((other, otherIndex) => done[otherIndex] || other.outcome === 'info' || !(other.returnTime < (operations[index] as Operation).callTime));
  return search(new Map(), 0);
}
