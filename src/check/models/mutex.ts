import { unreachable } from '../../util/assert.js';
import type { Decoded, Model, RawCall, StepResult } from '../model.js';
import { illegal, legal } from '../model.js';
import type { Operation } from '../operation.js';
import { hashString, valueKey } from '../value-key.js';

/**
 * A mutex with owners (the seeds' distributed lock), initially free.
 *
 * - `acquire`: invoke value is the owner (any JSON value; nil means "the invoking process"); `ok`
 *   means the lock was granted, `fail` that it was not (no effect).
 * - `release`: invoke value is the owner; `ok` means the owner held the lock and released it.
 *
 * The owner is explicit because a client that got `info` continues under a new process number
 * but may still hold the lock.
 */
export type MutexInput = { readonly kind: 'acquire' | 'release'; readonly owner: string };
export type MutexOutput = null;
/** The owner as canonical JSON, or '' when free. */
export type MutexState = string;

const free = '';

export const mutexModel: Model<MutexState, MutexInput, MutexOutput> = {
  name: 'mutex',
  summary: 'lock with acquire and release by an owner, initially free',
  functions: ['acquire', 'release'],
  init: () => free,
  step(state, input, output): StepResult<MutexState> {
    switch (input.kind) {
      case 'acquire':
        if (state === free) return legal(input.owner);
        return output === undefined ? legal(state) : illegal;
      case 'release':
        if (state === input.owner) return legal(free);
        return output === undefined ? legal(state) : illegal;
      default:
        return unreachable(input.kind, 'mutex input');
    }
  },
  equal: (a, b) => a === b,
  hash: hashString,
  decode: decodeMutex,
  describeOperation: (input, output) => `${input.kind} by ${input.owner}${output === undefined ? ' (?)' : ''}`,
  describeState: (state) => (state === free ? 'free' : `held by ${state}`),
  droppableInfo: unreleasedAcquires,
};

function decodeMutex(call: RawCall): Decoded<MutexInput, MutexOutput> {
  if (call.outcome === 'fail') return { kind: 'ignored' };
  if (call.f !== 'acquire' && call.f !== 'release') return { kind: 'invalid', expected: 'one of :acquire, :release' };
  const owner = call.invokeValue === null ? `"process ${call.process}"` : valueKey(call.invokeValue);
  return { kind: 'operation', input: { kind: call.f, owner }, output: call.outcome === 'info' ? undefined : null };
}

/**
 * An indeterminate acquire can be dropped when its owner never releases after it was invoked:
 * if it took the lock, nobody else could acquire and nobody released it, so the rest of the
 * history is the same without it. An indeterminate release by a non-holder is a no-op in the
 * model, and the search decides the others.
 */
function unreleasedAcquires(operations: readonly Operation<MutexInput, MutexOutput>[]) {
  const lastReleaseReturn = new Map<string, number>();
  for (const operation of operations) {
    if (operation.input.kind !== 'release') continue;
    const previous = lastReleaseReturn.get(operation.input.owner) ?? -Infinity;
    lastReleaseReturn.set(operation.input.owner, Math.max(previous, operation.returnTime));
  }
  return (operation: Operation<MutexInput, MutexOutput>): boolean =>
    operation.input.kind === 'acquire' && (lastReleaseReturn.get(operation.input.owner) ?? -Infinity) < operation.callTime;
}
