import type { AnyModel } from './model.js';
import type { Operation } from './operation.js';

/**
 * P-compositionality: operations on different keys act on independent objects, so each key is
 * checked on its own (and a model may split a key further). Partitions come out sorted by key
 * so results are deterministic; operations keep call order.
 */
export function partitionOperations(model: AnyModel, operations: readonly Operation[]): Map<string, Operation[]> {
  const partitions = new Map<string, Operation[]>();
  for (const operation of operations) {
    const extra = model.partition?.(operation.input);
    const key = extra === undefined ? operation.key : `${operation.key}/${extra}`;
    let list = partitions.get(key);
    if (list === undefined) partitions.set(key, (list = []));
    list.push(operation);
  }
  return new Map([...partitions.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
