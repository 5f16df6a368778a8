import { unreachable } from '../../util/assert.js';
import type { Decoded, Model, RawCall, StepResult } from '../model.js';
import { illegal, legal } from '../model.js';
import type { Operation } from '../operation.js';
import { mix32 } from '../value-key.js';

/**
 * A counter, initial value 0.
 *
 * - `add`: invoke value is an integer delta (may be negative).
 * - `read`: the `ok` value is the integer read.
 *
 * A failed add did not happen; an indeterminate read is left out.
 */
export type CounterInput = { readonly kind: 'add'; readonly delta: number } | { readonly kind: 'read' };
/** read: the value read; add: null. */
export type CounterOutput = number | null;

export const counterModel: Model<number, CounterInput, CounterOutput> = {
  name: 'counter',
  summary: 'integer counter with add and read, initial value 0',
  functions: ['add', 'read'],
  init: () => 0,
  step(state, input, output): StepResult<number> {
    switch (input.kind) {
      case 'add':
        return legal(state + input.delta);
      case 'read':
        return output === undefined || output === state ? legal(state) : illegal;
      default:
        return unreachable(input, 'counter input');
    }
  },
  equal: (a, b) => a === b,
  hash: (state) => mix32(state),
  decode: decodeCounter,
  describeOperation: (input, output) => (input.kind === 'add' ? `add ${input.delta}` : `read → ${output === undefined ? '?' : output}`),
  describeState: (state) => String(state),
  // An indeterminate add of 0 changes nothing; any other delta shows in every later read.
  sum: {
    delta: (input) => (input.kind === 'add' ? input.delta : undefined),
    read: (input, output) => (input.kind === 'read' && typeof output === 'number' ? output : undefined),
  },
  droppableInfo: () => (operation: Operation<CounterInput, CounterOutput>) => operation.input.kind === 'add' && operation.input.delta === 0,
};

function decodeCounter(call: RawCall): Decoded<CounterInput, CounterOutput> {
  if (call.outcome === 'fail') return { kind: 'ignored' };
  if (call.f === 'add') {
    if (!Number.isSafeInteger(call.invokeValue)) return { kind: 'invalid', expected: 'an integer delta for :add' };
    return { kind: 'operation', input: { kind: 'add', delta: call.invokeValue as number }, output: call.outcome === 'info' ? undefined : null };
  }
  if (call.f !== 'read') return { kind: 'invalid', expected: 'one of :add, :read' };
  if (call.outcome === 'info') return { kind: 'ignored' };
  if (!Number.isSafeInteger(call.completionValue)) return { kind: 'invalid', expected: 'a read completed with an integer' };
  return { kind: 'operation', input: { kind: 'read' }, output: call.completionValue as number };
}
