import type { Json } from '../../history/operation.js';
import { unreachable } from '../../util/assert.js';
import type { Decoded, Model, RawCall, StepResult } from '../model.js';
import { illegal, legal } from '../model.js';
import type { Operation } from '../operation.js';
import { hashString, valueKey } from '../value-key.js';
import { describeRegisterOptions, isUninformativeRead, resolveRegisterOptions, type RegisterOptions, type ResolvedRegisterOptions } from './model-options.js';
import { readWithoutWriter } from './observed-values.js';

/**
 * A compare-and-set register with Jepsen's etcd semantics (Porcupine's etcd model), initial
 * value nil unless `initialValue` says.
 *
 * - `read`: the `ok` value is the value read (nil while nothing was written).
 * - `write`: invoke value is the value written.
 * - `cas`: invoke value is `[expected, new]`; `ok` means the register held `expected` and now
 *   holds `new`. A `fail` cas is kept as an observation: the compare did not match, so at some
 *   instant of its interval the register did not hold `expected` (the corpus verdicts rely on
 *   this). An `info` cas may have applied (if the value matched) at any time, or never.
 *
 * A failed read or write did not happen and is left out; so is an indeterminate read.
 */
export type CasInput =
  | { readonly kind: 'read' }
  | { readonly kind: 'write'; readonly value: string }
  | { readonly kind: 'cas'; readonly expected: string; readonly value: string };
/** read: the value read; cas: whether it applied; write: null. */
export type CasOutput = string | boolean | null;
export type CasState = string;

export const casRegisterModel: Model<CasState, CasInput, CasOutput> = makeCasRegisterModel();

/** The cas register with an initial value and a reading of nil reads (see RegisterOptions). */
export function makeCasRegisterModel(options: RegisterOptions = {}): Model<CasState, CasInput, CasOutput> {
  const resolved = resolveRegisterOptions(options);
  const initial = resolved.initial;
  return {
    name: 'cas-register',
    summary: `register with read, write and compare-and-set (Jepsen etcd semantics), ${describeRegisterOptions(resolved)}`,
    functions: ['read', 'write', 'cas'],
    init: () => initial,
    step(state, input, output): StepResult<CasState> {
      switch (input.kind) {
        case 'read':
          return output === undefined || output === state ? legal(state) : illegal;
        case 'write':
          return legal(input.value);
        case 'cas':
          return stepCas(state, input.expected, input.value, output);
        default:
          return unreachable(input, 'cas-register input');
      }
    },
    equal: (a, b) => a === b,
    hash: hashString,
    decode: (call) => decodeCas(call, resolved),
    describeOperation: describeCas,
    describeState: (state) => state,
    droppableInfo: (operations) => unobservedCasWrites(operations, initial),
    simplify: (operations) => mergeUncomparedValues(operations, initial),
    precheck: (operations) => readWithoutWriter(operations, newValue, positivelyObserved, initial),
    // A partition without cas is a plain register; a cas is both a read and a write (no fast path).
    readWrite: {
      initial,
      written: (input) => (input.kind === 'write' ? input.value : undefined),
      read: (input, output) => (input.kind === 'read' && typeof output === 'string' ? output : undefined),
    },
  };
}

function stepCas(state: string, expected: string, value: string, output: CasOutput | undefined): StepResult<CasState> {
  const matches = state === expected;
  if (output === undefined) return legal(matches ? value : state);
  if (output === true) return matches ? legal(value) : illegal;
  return matches ? illegal : legal(state);
}

function decodeCas(call: RawCall, options: ResolvedRegisterOptions): Decoded<CasInput, CasOutput> {
  switch (call.f) {
    case 'read':
      if (call.outcome !== 'ok') return { kind: 'ignored' };
      if (call.completionValue === undefined) return { kind: 'invalid', expected: 'a completion value holding the value read' };
      if (isUninformativeRead(call.completionValue, options)) return { kind: 'ignored' };
      return { kind: 'operation', input: { kind: 'read' }, output: valueKey(call.completionValue) };
    case 'write':
      if (call.outcome === 'fail') return { kind: 'ignored' };
      return { kind: 'operation', input: { kind: 'write', value: valueKey(call.invokeValue) }, output: call.outcome === 'info' ? undefined : null };
    case 'cas':
      return decodeCasCall(call.invokeValue, call.outcome);
    default:
      return { kind: 'invalid', expected: 'one of :read, :write, :cas' };
  }
}

function decodeCasCall(value: Json, outcome: RawCall['outcome']): Decoded<CasInput, CasOutput> {
  if (!Array.isArray(value) || value.length !== 2) return { kind: 'invalid', expected: 'a cas value [expected new]' };
  const input: CasInput = { kind: 'cas', expected: valueKey(value[0] as Json), value: valueKey(value[1] as Json) };
  switch (outcome) {
    case 'ok':
      return { kind: 'operation', input, output: true };
    case 'fail':
      return { kind: 'operation', input, output: false };
    case 'info':
      return { kind: 'operation', input, output: undefined };
    default:
      return unreachable(outcome, 'outcome');
  }
}

function describeCas(input: CasInput, output: CasOutput | undefined): string {
  switch (input.kind) {
    case 'read':
      return `read → ${output === undefined ? '?' : String(output)}`;
    case 'write':
      return `write ${input.value}`;
    case 'cas': {
      const result = output === undefined ? '?' : output === true ? 'ok' : 'failed';
      return `cas ${input.expected}→${input.value} (${result})`;
    }
    default:
      return unreachable(input, 'cas-register input');
  }
}

/** The value an operation may have written: a failed cas wrote nothing. */
function newValue(operation: Operation<CasInput, CasOutput>): string | undefined {
  if (operation.input.kind === 'read' || operation.output === false) return undefined;
  return operation.input.value;
}

/** Values an operation needs the register to hold: a read's result, a successful cas's expected. */
function positivelyObserved(operation: Operation<CasInput, CasOutput>): string | undefined {
  const input = operation.input;
  if (input.kind === 'read') return typeof operation.output === 'string' ? operation.output : undefined;
  if (input.kind === 'cas' && operation.output === true) return input.expected;
  return undefined;
}

/**
 * An indeterminate write or cas of value v can be dropped when nothing needs v (no read returns
 * it, no cas expects it, including indeterminate ones, which could chain on it) and no failed
 * cas could be linearized after it: between it and the next effective write only operations
 * legal in state v could run, none of which observes v, so removing it changes nothing. A
 * failed cas is the exception because "the register did not hold e" can be explained by any
 * intervening value, so those histories keep the operation.
 */
function unobservedCasWrites(operations: readonly Operation<CasInput, CasOutput>[], initial: string) {
  const needed = new Set<string>();
  let latestFailedCasReturn = -Infinity;
  for (const operation of operations) {
    const input = operation.input;
    if (input.kind === 'read' && typeof operation.output === 'string') needed.add(operation.output);
    if (input.kind === 'cas' && operation.output !== false) needed.add(input.expected);
    if (input.kind === 'cas' && operation.output === false) latestFailedCasReturn = Math.max(latestFailedCasReturn, operation.returnTime);
  }
  const written = new Set<string>([initial]);
  for (const operation of operations) {
    const value = newValue(operation);
    if (value !== undefined) written.add(value);
  }
  return (operation: Operation<CasInput, CasOutput>): boolean => {
    const input = operation.input;
    // A cas expecting a value the register never holds can never apply: a no-op everywhere.
    if (input.kind === 'cas' && !written.has(input.expected)) return true;
    const value = newValue(operation);
    return value !== undefined && !needed.has(value) && latestFailedCasReturn < operation.callTime;
  };
}

/** Stands for every value no operation compares against; not valid JSON, so never a real value. */
export const uncomparedValue = '<uncompared>';

/**
 * Values that no read returns and no cas expects are indistinguishable: every step only asks
 * "is the value equal to this observed one?", which is false for all of them alike. Merging
 * them into one value is a bisimulation, so the accepted orders are the same; it makes
 * indeterminate writes of such values identical, and identical indeterminate operations are
 * linearized in call order only (a history with unique values would otherwise offer every
 * pending write as a candidate at every step).
 */
function mergeUncomparedValues(operations: readonly Operation<CasInput, CasOutput>[], initial: string): Operation<CasInput, CasOutput>[] {
  const compared = new Set<string>([initial]);
  for (const operation of operations) {
    const input = operation.input;
    if (input.kind === 'read' && typeof operation.output === 'string') compared.add(operation.output);
    if (input.kind === 'cas') compared.add(input.expected);
  }
  const merge = (value: string): string => (compared.has(value) ? value : uncomparedValue);
  return operations.map((operation) => {
    const input = operation.input;
    if (input.kind === 'read' || compared.has(input.value)) return operation;
    return { ...operation, input: { ...input, value: merge(input.value) } };
  });
}
