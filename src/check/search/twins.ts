import type { Operation } from '../operation.js';

/**
 * For each indeterminate operation (in call order), the index of the latest earlier one with an
 * identical input, or -1. Identical indeterminate operations are interchangeable, so the search
 * linearizes them in call order only: that turns 2^k subsets into k+1 counts.
 */
export function twinPredecessors(indeterminate: readonly Operation[]): Int32Array {
  const twins = new Int32Array(indeterminate.length).fill(-1);
  const latest = new Map<string, number>();
  indeterminate.forEach((operation, index) => {
    const key = JSON.stringify(operation.input);
    const previous = latest.get(key);
    if (previous !== undefined) twins[index] = previous;
    latest.set(key, index);
  });
  return twins;
}
