import { unreachable } from '../../util/assert.js';
import type { Decoded, Model, RawCall, StepResult } from '../model.js';
import { illegal, legal } from '../model.js';
import type { Operation } from '../operation.js';
import { hashString, valueKey } from '../value-key.js';
import { completeObservedEffects } from './observed-effects.js';
import { equalStringArrays } from './string-arrays.js';

/**
 * A FIFO queue, initially empty.
 *
 * - `enqueue`: invoke value is the element (any JSON value).
 * - `dequeue`: invoke value nil; the `ok` value is the element removed, or nil when the queue was
 *   empty.
 *
 * A failed operation did not happen. An indeterminate dequeue is kept: it may have removed the
 * head, which a later dequeue can tell.
 */
export type QueueInput = { readonly kind: 'enqueue'; readonly element: string } | { readonly kind: 'dequeue' };
/** dequeue: the element as canonical JSON, or null when empty; enqueue: null. */
export type QueueOutput = string | null;
/** Elements as canonical JSON, head first. */
export type QueueState = readonly string[];

export const fifoQueueModel: Model<QueueState, QueueInput, QueueOutput> = {
  name: 'fifo-queue',
  summary: 'FIFO queue with enqueue and dequeue (nil when empty), initially empty',
  functions: ['enqueue', 'dequeue'],
  init: () => [],
  step(state, input, output): StepResult<QueueState> {
    switch (input.kind) {
      case 'enqueue':
        return legal([...state, input.element]);
      case 'dequeue':
        return stepDequeue(state, output);
      default:
        return unreachable(input, 'queue input');
    }
  },
  equal: equalStringArrays,
  hash: (state) => hashString(state.join('\u0000')),
  decode: decodeQueue,
  describeOperation(input, output) {
    if (input.kind === 'enqueue') return `enqueue ${input.element}`;
    return `dequeue → ${output === undefined ? '?' : output === null ? 'empty' : output}`;
  },
  describeState: (state) => `[${state.join(', ')}]`,
  droppableInfo: undequeuedElements,
  // An indeterminate enqueue of an element a completed dequeue returned took effect before it.
  simplify: (operations) =>
    completeObservedEffects(
      operations,
      (operation) => (operation.input.kind === 'enqueue' ? operation.input.element : undefined),
      (operation) => (operation.input.kind === 'dequeue' && typeof operation.output === 'string' ? [operation.output] : []),
    ),
};

function stepDequeue(state: QueueState, output: QueueOutput | undefined): StepResult<QueueState> {
  if (output === undefined) return legal(state.length === 0 ? state : state.slice(1));
  if (output === null) return state.length === 0 ? legal(state) : illegal;
  return state[0] === output ? legal(state.slice(1)) : illegal;
}

function decodeQueue(call: RawCall): Decoded<QueueInput, QueueOutput> {
  if (call.outcome === 'fail') return { kind: 'ignored' };
  if (call.f === 'enqueue') return { kind: 'operation', input: { kind: 'enqueue', element: valueKey(call.invokeValue) }, output: call.outcome === 'info' ? undefined : null };
  if (call.f !== 'dequeue') return { kind: 'invalid', expected: 'one of :enqueue, :dequeue' };
  if (call.outcome === 'info') return { kind: 'operation', input: { kind: 'dequeue' }, output: undefined };
  if (call.completionValue === undefined) return { kind: 'invalid', expected: 'a dequeue completed with the element or nil' };
  return { kind: 'operation', input: { kind: 'dequeue' }, output: call.completionValue === null ? null : valueKey(call.completionValue) };
}

/**
 * An indeterminate enqueue of an element no dequeue returned can be dropped: if it took effect,
 * it was never removed, so it sat behind everything dequeued later (or the queue was never
 * empty again); removing it changes no observation. Indeterminate dequeues could have removed
 * it, so this holds only when there are none.
 */
function undequeuedElements(operations: readonly Operation<QueueInput, QueueOutput>[]) {
  const dequeued = new Set<string>();
  let indeterminateDequeues = false;
  for (const operation of operations) {
    if (operation.input.kind !== 'dequeue') continue;
    if (operation.outcome === 'info') indeterminateDequeues = true;
    if (typeof operation.output === 'string') dequeued.add(operation.output);
  }
  return (operation: Operation<QueueInput, QueueOutput>): boolean =>
    !indeterminateDequeues && operation.input.kind === 'enqueue' && !dequeued.has(operation.input.element);
}
