import { unreachable } from '../../util/assert.js';
import type { Decoded, Model, RawCall, StepResult } from '../model.js';
import { illegal, legal } from '../model.js';
import type { Operation } from '../operation.js';
import { concatenatedHash, rollingHash, type RollingHash } from './rolling-hash.js';

/**
 * Porcupine's key-value model, one key per partition (the history's `key` field), initial value
 * the empty string.
 *
 * - `get`: invoke value nil; the `ok` value is the string read.
 * - `put`: invoke value is the new string; replaces the value.
 * - `append`: invoke value is a string appended to the value.
 *
 * A failed operation did not happen; an indeterminate get is left out.
 */
export type KvInput =
  | { readonly kind: 'get' }
  | { readonly kind: 'put' | 'append'; readonly value: string; readonly valueHash: RollingHash };
/** get: the string read; put and append: null. */
export type KvOutput = string | null;
/** The value with its rolling hash, so that an append hashes in O(appended length). */
export interface KvState {
  readonly text: string;
  readonly hash: number;
}

const emptyState: KvState = { text: '', hash: 0 };

export const kvModel: Model<KvState, KvInput, KvOutput> = {
  name: 'kv',
  summary: 'key-value store with get, put and append on strings, checked per key, initial value ""',
  functions: ['get', 'put', 'append'],
  init: () => emptyState,
  step(state, input, output): StepResult<KvState> {
    switch (input.kind) {
      case 'get':
        return output === undefined || output === state.text ? legal(state) : illegal;
      case 'put':
        return legal({ text: input.value, hash: input.valueHash.hash });
      case 'append':
        return legal({ text: state.text + input.value, hash: concatenatedHash(state.hash, input.valueHash) });
      default:
        return unreachable(input, 'kv input');
    }
  },
  equal: (a, b) => a === b || (a.hash === b.hash && a.text === b.text),
  hash: (state) => state.hash,
  decode: decodeKv,
  describeOperation(input, output) {
    switch (input.kind) {
      case 'get':
        return `get → ${output === undefined ? '?' : JSON.stringify(output)}`;
      case 'put':
        return `put ${JSON.stringify(input.value)}`;
      case 'append':
        return `append ${JSON.stringify(input.value)}`;
      default:
        return unreachable(input, 'kv input');
    }
  },
  describeState: (state) => JSON.stringify(state.text),
  droppableInfo: unobservedKvWrites,
  // Without appends a key is a register of strings: get reads, put writes.
  readWrite: {
    initial: emptyState.text,
    written: (input) => (input.kind === 'put' ? input.value : undefined),
    read: (input, output) => (input.kind === 'get' && typeof output === 'string' ? output : undefined),
  },
};

function decodeKv(call: RawCall): Decoded<KvInput, KvOutput> {
  if (call.outcome === 'fail') return { kind: 'ignored' };
  if (call.f === 'get') {
    if (call.outcome === 'info') return { kind: 'ignored' };
    if (typeof call.completionValue !== 'string') return { kind: 'invalid', expected: 'a get completed with a string value' };
    return { kind: 'operation', input: { kind: 'get' }, output: call.completionValue };
  }
  if (call.f !== 'put' && call.f !== 'append') return { kind: 'invalid', expected: 'one of :get, :put, :append' };
  if (typeof call.invokeValue !== 'string') return { kind: 'invalid', expected: `a string value for :${call.f}` };
  const output = call.outcome === 'info' ? undefined : null;
  return { kind: 'operation', input: { kind: call.f, value: call.invokeValue, valueHash: rollingHash(call.invokeValue) }, output };
}

/**
 * An indeterminate put or append of a non-empty string that no get's result contains can be
 * dropped: if it took effect, every get before the next put would contain the string, so only
 * puts and appends (legal in any state) can lie between it and the next put, and removing it
 * changes no observation.
 */
function unobservedKvWrites(operations: readonly Operation<KvInput, KvOutput>[]) {
  const results: string[] = [];
  for (const operation of operations) {
    if (operation.input.kind === 'get' && typeof operation.output === 'string') results.push(operation.output);
  }
  return (operation: Operation<KvInput, KvOutput>): boolean => {
    const input = operation.input;
    if (input.kind === 'get' || input.value === '') return false;
    return !results.some((result) => result.includes(input.value));
  };
}
