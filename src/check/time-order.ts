import type { Operation } from './operation.js';

/**
 * Operations of one partition in order of their calls, (callTime, invokeIndex), as indices.
 * Partitions keep history order, which is call order whenever the times are monotone, so this
 * is usually one linear pass; otherwise it sorts.
 */
export function callOrder(operations: readonly Operation[]): Int32Array {
  const order = Int32Array.from({ length: operations.length }, (_, index) => index);
  let sorted = true;
  for (let index = 1; index < operations.length && sorted; index++) {
    sorted = compareCalls(operations[index - 1] as Operation, operations[index] as Operation) < 0;
  }
  if (!sorted) order.sort((a, b) => compareCalls(operations[a] as Operation, operations[b] as Operation));
  return order;
}

/**
 * Determinate operations of one partition in order of their returns, (returnTime,
 * completionIndex), as indices. Completion positions are distinct, so a bucket pass orders them
 * in linear time; the times are then checked monotone, and sorted when they are not.
 */
export function returnOrder(operations: readonly Operation[]): Int32Array {
  let largest = -1;
  let count = 0;
  for (const operation of operations) {
    if (operation.outcome === 'info') continue;
    count++;
    if (operation.completionIndex > largest) largest = operation.completionIndex;
  }
  const order = new Int32Array(count);
  if (largest < 64 * operations.length + 4096) {
    const bucket = new Int32Array(largest + 1).fill(-1);
    operations.forEach((operation, index) => {
      if (operation.outcome !== 'info') bucket[operation.completionIndex] = index;
    });
    let position = 0;
    for (const index of bucket) if (index >= 0) order[position++] = index;
    if (position === count && isSorted(order, operations, compareReturns)) return order;
  }
  let position = 0;
  operations.forEach((operation, index) => {
    if (operation.outcome !== 'info') order[position++] = index;
  });
  return order.sort((a, b) => compareReturns(operations[a] as Operation, operations[b] as Operation));
}

function isSorted(order: Int32Array, operations: readonly Operation[], compare: (a: Operation, b: Operation) => number): boolean {
  for (let position = 1; position < order.length; position++) {
    if (compare(operations[order[position - 1] as number] as Operation, operations[order[position] as number] as Operation) > 0) return false;
  }
  return true;
}

function compareCalls(a: Operation, b: Operation): number {
  return a.callTime - b.callTime || a.invokeIndex - b.invokeIndex;
}

function compareReturns(a: Operation, b: Operation): number {
  return a.returnTime - b.returnTime || a.completionIndex - b.completionIndex;
}
