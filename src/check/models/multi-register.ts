import type { Json } from '../../history/operation.js';
import type { Decoded, Model, RawCall, StepResult } from '../model.js';
import { illegal, legal } from '../model.js';
import { hashString, valueKey } from '../value-key.js';
import { describeRegisterOptions, isUninformativeRead, resolveRegisterOptions, type RegisterOptions, type ResolvedRegisterOptions } from './model-options.js';

/**
 * Jepsen's multi-register (Knossos' `multi-register`): registers named by keys, all initially
 * nil (or `initialValue`), and one function `txn` whose value is a list of micro-operations
 * `[:r k v]` / `[:w k v]` applied atomically in order. The invocation carries the writes (reads
 * have nil); the `ok` completion carries the values read. An `info` txn may have applied (its
 * writes) at any time after its invocation, or never; its reads then tell nothing.
 *
 * A transaction spans keys, so the model is not split by key: the whole history is one object.
 */
export interface MicroOperation {
  readonly kind: 'r' | 'w';
  readonly key: string;
  /** The value written; unused for reads (their values are in the output). */
  readonly value: string;
}
export interface TxnInput {
  readonly micro: readonly MicroOperation[];
}
/** Per micro-operation: the value a read returned, or undefined (a write, or a read that tells nothing). */
export type TxnOutput = readonly (string | undefined)[];
/** Non-initial values by key; `text` is canonical (sorted), for equality and hashing. */
export interface MultiRegisterState {
  readonly values: ReadonlyMap<string, string>;
  readonly text: string;
  readonly hash: number;
}

export const multiRegisterModel: Model<MultiRegisterState, TxnInput, TxnOutput> = makeMultiRegisterModel();

export function makeMultiRegisterModel(options: RegisterOptions = {}): Model<MultiRegisterState, TxnInput, TxnOutput> {
  const resolved = resolveRegisterOptions(options);
  const initial = resolved.initial;
  const empty = stateOf(new Map());
  return {
    name: 'multi-register',
    summary: `registers by key with atomic :txn of [:r k v] / [:w k v] (Jepsen's multi-register), every key's ${describeRegisterOptions(resolved)}`,
    functions: ['txn'],
    init: () => empty,
    step: (state, input, output) => stepTxn(state, input, output, initial),
    equal: (a, b) => a === b || (a.hash === b.hash && a.text === b.text),
    hash: (state) => state.hash,
    decode: (call) => decodeTxn(call, resolved),
    describeOperation: describeTxn,
    describeState: (state) => `{${state.text}}`,
  };
}

function stepTxn(state: MultiRegisterState, input: TxnInput, output: TxnOutput | undefined, initial: string): StepResult<MultiRegisterState> {
  let values: Map<string, string> | undefined;
  const current = (key: string): string => (values ?? state.values).get(key) ?? initial;
  for (let index = 0; index < input.micro.length; index++) {
    const micro = input.micro[index] as MicroOperation;
    if (micro.kind === 'r') {
      const read = output?.[index];
      if (read !== undefined && read !== current(micro.key)) return illegal;
      continue;
    }
    if (current(micro.key) === micro.value) continue;
    values ??= new Map(state.values);
    // The initial value is stored as absence, so that equal states have one representation.
    if (micro.value === initial) values.delete(micro.key);
    else values.set(micro.key, micro.value);
  }
  return legal(values === undefined ? state : stateOf(values));
}

function stateOf(values: ReadonlyMap<string, string>): MultiRegisterState {
  const text = [...values.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
  return { values, text, hash: hashString(text) };
}

const expected = 'a :txn value: a list of [:r k v] / [:w k v] micro-operations';

function decodeTxn(call: RawCall, options: ResolvedRegisterOptions): Decoded<TxnInput, TxnOutput> {
  if (call.outcome === 'fail') return { kind: 'ignored' };
  const invoked = readMicro(call.invokeValue);
  if (invoked === undefined) return { kind: 'invalid', expected };
  const input: TxnInput = { micro: invoked.map(({ kind, key, value }) => ({ kind, key, value: valueKey(value) })) };
  if (call.outcome === 'info') return { kind: 'operation', input, output: undefined };
  const completed = readMicro(call.completionValue ?? null);
  const matches = completed !== undefined && completed.length === invoked.length && completed.every((micro, index) => micro.kind === invoked[index]?.kind && micro.key === invoked[index]?.key);
  if (!matches) return { kind: 'invalid', expected: 'an :ok :txn with the same micro-operations as its invocation, reads filled in' };
  const output = completed.map((micro) => (micro.kind === 'r' && !isUninformativeRead(micro.value, options) ? valueKey(micro.value) : undefined));
  return { kind: 'operation', input, output };
}

function readMicro(value: Json): { kind: 'r' | 'w'; key: string; value: Json }[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const micro: { kind: 'r' | 'w'; key: string; value: Json }[] = [];
  for (const entry of value) {
    if (!Array.isArray(entry) || entry.length !== 3) return undefined;
    const kind = entry[0] === ':r' || entry[0] === 'r' ? 'r' : entry[0] === ':w' || entry[0] === 'w' ? 'w' : undefined;
    if (kind === undefined) return undefined;
    const key = entry[1] as Json;
    micro.push({ kind, key: typeof key === 'string' ? key.replace(/^:/, '') : valueKey(key), value: entry[2] as Json });
  }
  return micro;
}

function describeTxn(input: TxnInput, output: TxnOutput | undefined): string {
  const parts = input.micro.map((micro, index) => {
    if (micro.kind === 'w') return `[w ${micro.key} ${micro.value}]`;
    const read = output === undefined ? '?' : (output[index] ?? '_');
    return `[r ${micro.key} ${read}]`;
  });
  return `txn ${parts.join(' ')}`;
}
