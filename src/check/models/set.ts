import type { Json } from '../../history/operation.js';
import { unreachable } from '../../util/assert.js';
import type { Decoded, Model, RawCall, StepResult } from '../model.js';
import { illegal, legal } from '../model.js';
import type { Operation } from '../operation.js';
import { hashString, valueKey } from '../value-key.js';
import { equalStringArrays } from './string-arrays.js';
import { completeObservedEffects } from './observed-effects.js';

/**
 * A grow-only set (Jepsen's set workload), initially empty.
 *
 * - `add`: invoke value is the element (any JSON value).
 * - `read`: the `ok` value is an array of all elements, in any order, without duplicates.
 *
 * A failed add did not happen; an indeterminate read is left out.
 */
export type SetInput = { readonly kind: 'add'; readonly element: string } | { readonly kind: 'read' };
/** read: the elements as sorted canonical JSON; add: null. */
export type SetOutput = readonly string[] | null;
/** The elements as sorted canonical JSON. */
export type SetState = readonly string[];

export const setModel: Model<SetState, SetInput, SetOutput> = {
  name: 'set',
  summary: 'grow-only set with add and read, initially empty',
  functions: ['add', 'read'],
  init: () => [],
  step(state, input, output): StepResult<SetState> {
    switch (input.kind) {
      case 'add':
        return legal(insertSorted(state, input.element));
      case 'read':
        return output === undefined || (output !== null && equalStringArrays(output, state)) ? legal(state) : illegal;
      default:
        return unreachable(input, 'set input');
    }
  },
  equal: equalStringArrays,
  hash: (state) => hashString(state.join('\u0000')),
  decode: decodeSet,
  describeOperation: (input, output) => (input.kind === 'add' ? `add ${input.element}` : `read → ${output === undefined ? '?' : `{${(output ?? []).join(', ')}}`}`),
  describeState: (state) => `{${state.join(', ')}}`,
  droppableInfo: unreadAdds,
  // An indeterminate add of an element a completed read saw took effect before that read returned.
  simplify: (operations) =>
    completeObservedEffects(
      operations,
      (operation) => (operation.input.kind === 'add' ? operation.input.element : undefined),
      (operation) => (operation.input.kind === 'read' && Array.isArray(operation.output) ? (operation.output as readonly string[]) : []),
    ),
};

function insertSorted(state: SetState, element: string): SetState {
  let low = 0;
  let high = state.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((state[middle] as string) < element) low = middle + 1;
    else high = middle;
  }
  if (state[low] === element) return state;
  return [...state.slice(0, low), element, ...state.slice(low)];
}

function decodeSet(call: RawCall): Decoded<SetInput, SetOutput> {
  if (call.outcome === 'fail') return { kind: 'ignored' };
  if (call.f === 'add') return { kind: 'operation', input: { kind: 'add', element: valueKey(call.invokeValue) }, output: call.outcome === 'info' ? undefined : null };
  if (call.f !== 'read') return { kind: 'invalid', expected: 'one of :add, :read' };
  if (call.outcome === 'info') return { kind: 'ignored' };
  if (!Array.isArray(call.completionValue)) return { kind: 'invalid', expected: 'a read completed with an array of elements' };
  const elements = call.completionValue.map((element: Json) => valueKey(element)).sort();
  if (new Set(elements).size !== elements.length) return { kind: 'invalid', expected: 'a read without duplicate elements' };
  return { kind: 'operation', input: { kind: 'read' }, output: elements };
}

/** An indeterminate add of an element no read contains can be dropped: every later read would show it. */
function unreadAdds(operations: readonly Operation<SetInput, SetOutput>[]) {
  const seen = new Set<string>();
  for (const operation of operations) {
    if (operation.input.kind === 'read' && Array.isArray(operation.output)) for (const element of operation.output) seen.add(element);
  }
  return (operation: Operation<SetInput, SetOutput>): boolean => operation.input.kind === 'add' && !seen.has(operation.input.element);
}
