import type { Operation } from '../operation.js';

/**
 * The real-time order of call and return events of one partition, as ranks. Ties in time are
 * broken so that calls come before returns (two operations that touch at an instant are
 * concurrent), then by position in the history.
 *
 * Determinate operation i has call entry 2i and return entry 2i+1. `sorted` lists entries in
 * time order; `rank[entry]` is its position there. `indeterminateRank[j]` counts the determinate
 * entries that come before indeterminate operation j's call, so j's call precedes entry e
 * exactly when indeterminateRank[j] <= rank[e].
 */
export interface EntryOrder {
  readonly sorted: Int32Array;
  readonly rank: Int32Array;
  readonly indeterminateRank: Int32Array;
}

export function entryOrder(determinate: readonly Operation[], indeterminate: readonly Operation[]): EntryOrder {
  const count = determinate.length * 2;
  const time = new Float64Array(count);
  const sequence = new Float64Array(count);
  for (let index = 0; index < determinate.length; index++) {
    const operation = determinate[index] as Operation;
    time[2 * index] = operation.callTime;
    sequence[2 * index] = operation.invokeIndex;
    time[2 * index + 1] = operation.returnTime;
    sequence[2 * index + 1] = operation.completionIndex;
  }
  const compare = (a: number, b: number): number =>
    (time[a] as number) - (time[b] as number) || (a & 1) - (b & 1) || (sequence[a] as number) - (sequence[b] as number);
  const sorted = Int32Array.from({ length: count }, (_, entry) => entry).sort(compare);
  const rank = new Int32Array(count);
  for (let position = 0; position < count; position++) rank[sorted[position] as number] = position;
  const indeterminateRank = new Int32Array(indeterminate.length);
  for (let index = 0; index < indeterminate.length; index++) {
    indeterminateRank[index] = countBefore(sorted, time, sequence, indeterminate[index] as Operation);
  }
  return { sorted, rank, indeterminateRank };
}

/** Binary search: how many entries sort before this indeterminate operation's call. */
function countBefore(sorted: Int32Array, time: Float64Array, sequence: Float64Array, operation: Operation): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const entry = sorted[middle] as number;
    const entryTime = time[entry] as number;
    // The call is a call: it sorts before a return at the same time, and by sequence among calls.
    const before = entryTime < operation.callTime || (entryTime === operation.callTime && (entry & 1) === 0 && (sequence[entry] as number) < operation.invokeIndex);
    if (before) low = middle + 1;
    else high = middle;
  }
  return low;
}
