import type { AnyModel } from './model.js';
import type { Operation } from './operation.js';
import { returnOrder } from './time-order.js';

/** What checking one candidate linearization found. */
export type CandidateCheck =
  | { readonly valid: true; readonly order: readonly number[] }
  | {
      readonly valid: false;
      /** The longest prefix of the candidate that is a linearizable prefix (ids in order). */
      readonly prefix: readonly number[];
      /** Why the candidate stops being one there. */
      readonly reason: string;
    };

/**
 * Checks one candidate linearization of a partition: an order of operation ids, such as the
 * order in which a simulated system applied the operations, or the order the unique-value
 * fast path builds. It is valid when
 *  - every determinate operation appears once and an indeterminate one at most once (ids not in
 *    the partition are ignored, so one global order serves every partition);
 *  - it respects real time: an operation that returned before another was invoked comes first
 *    (ties in time are concurrent, as in the search);
 *  - every step is legal in the model from the initial state.
 * One pass over the order plus a sort of the returns: O(n log n), with no search.
 *
 * The prefix reported on failure is downward closed under real-time precedence and legal, so
 * the explanation machinery can replay it like the search's deepest prefix.
 */
export function checkCandidate(model: AnyModel, operations: readonly Operation[], candidate: readonly number[]): CandidateCheck {
  const indexById = indexOfIds(operations);
  // Determinate operations by return time: a pointer walks them as the latest call placed grows.
  const byReturn = returnOrder(operations);
  const placed = new Uint8Array(operations.length);
  const order: number[] = [];
  let latestCall = -Infinity;
  let latestCaller = -1;
  let returned = 0;
  let state: unknown = model.init();
  const invalid = (reason: string): CandidateCheck => ({ valid: false, prefix: order, reason });
  for (const id of candidate) {
    const index = id >= 0 && id < indexById.length ? (indexById[id] as number) : -1;
    if (index < 0) continue;
    const operation = operations[index] as Operation;
    if (placed[index] === 1) return invalid(`#${id} appears twice`);
    if (operation.callTime > latestCall) {
      latestCall = operation.callTime;
      latestCaller = index;
    }
    // Everything that returned before the latest call placed so far must already be placed.
    while (returned < byReturn.length && (operations[byReturn[returned] as number] as Operation).returnTime < latestCall) {
      const earlier = byReturn[returned] as number;
      if (placed[earlier] !== 1) {
        const caller = operations[latestCaller] as Operation;
        return invalid(`#${(operations[earlier] as Operation).id} returned before #${caller.id} was invoked but is not placed before it`);
      }
      returned++;
    }
    const result = model.step(state, operation.input, operation.output);
    if (!result.legal) return invalid(`#${id} is illegal in state ${model.describeState(state)}`);
    state = result.next;
    placed[index] = 1;
    order.push(id);
  }
  for (const index of byReturn) {
    if (placed[index] !== 1) return invalid(`#${(operations[index] as Operation).id} is missing`);
  }
  return { valid: true, order };
}

/** Position of each operation by id (ids are small integers: call order over the history). */
function indexOfIds(operations: readonly Operation[]): Int32Array {
  let largest = -1;
  for (const operation of operations) if (operation.id > largest) largest = operation.id;
  const indexById = new Int32Array(largest + 1).fill(-1);
  operations.forEach((operation, index) => {
    indexById[operation.id] = index;
  });
  return indexById;
}
