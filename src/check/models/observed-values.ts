import type { PrecheckViolation } from '../model.js';
import type { Operation } from '../operation.js';

/**
 * The cheap pre-check shared by the register models: a completed read of a value that is not
 * the initial value and that no operation invoked before the read returned could have written
 * cannot be linearized, whatever the order of everything else. Finds it in O(n) instead of an
 * exhaustive search.
 */
export function readWithoutWriter<Input, Output>(
  operations: readonly Operation<Input, Output>[],
  writtenValue: (operation: Operation<Input, Output>) => string | undefined,
  observedValue: (operation: Operation<Input, Output>) => string | undefined,
  initialValue: string,
): PrecheckViolation | undefined {
  const firstWriteCall = new Map<string, number>();
  for (const operation of operations) {
    const value = writtenValue(operation);
    if (value === undefined) continue;
    const known = firstWriteCall.get(value);
    if (known === undefined || operation.callTime < known) firstWriteCall.set(value, operation.callTime);
  }
  let found: { operation: Operation<Input, Output>; value: string } | undefined;
  for (const operation of operations) {
    const value = observedValue(operation);
    if (value === undefined || value === initialValue) continue;
    const writeCall = firstWriteCall.get(value);
    // A writer invoked at the reader's return time is concurrent with it (ties are concurrent).
    if (writeCall !== undefined && writeCall <= operation.returnTime) continue;
    if (found === undefined || operation.returnTime < found.operation.returnTime) found = { operation, value };
  }
  if (found === undefined) return undefined;
  const why = firstWriteCall.has(found.value) ? 'the first write of it was invoked only after this operation returned' : 'no operation ever writes it';
  return { operationId: found.operation.id, reason: `observes the value ${found.value}, but ${why}` };
}
