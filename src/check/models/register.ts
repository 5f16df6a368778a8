import type { Decoded, Model, PrecheckViolation, RawCall, StepResult } from '../model.js';
import { illegal, legal } from '../model.js';
import type { Operation } from '../operation.js';
import { unreachable } from '../../util/assert.js';
import { hashString, valueKey } from '../value-key.js';
import { describeRegisterOptions, isUninformativeRead, resolveRegisterOptions, type RegisterOptions, type ResolvedRegisterOptions } from './model-options.js';
import { readWithoutWriter } from './observed-values.js';

/**
 * A read/write register (Jepsen's `register`, initial value nil unless `initialValue` says).
 *
 * - `read`: invoke value ignored (usually nil); the `ok` value is the value read.
 * - `write`: invoke value is the value written (any JSON value); the completion value is ignored.
 *
 * A failed operation did not happen and is left out; so is an indeterminate read (no effect,
 * nothing observed). Values are compared by their canonical JSON text.
 */
export type RegisterInput = { readonly kind: 'read' } | { readonly kind: 'write'; readonly value: string };
/** The value read (canonical JSON), or null for a write. */
export type RegisterOutput = string | null;
/** The register's value as canonical JSON; `null` initially. */
export type RegisterState = string;

export const registerModel: Model<RegisterState, RegisterInput, RegisterOutput> = makeRegisterModel();

/** The register with an initial value and a reading of nil reads (see RegisterOptions). */
export function makeRegisterModel(options: RegisterOptions = {}): Model<RegisterState, RegisterInput, RegisterOutput> {
  const resolved = resolveRegisterOptions(options);
  const initial = resolved.initial;
  return {
    name: 'register',
    summary: `read/write register, ${describeRegisterOptions(resolved)}`,
    functions: ['read', 'write'],
    init: () => initial,
    step(state, input, output): StepResult<RegisterState> {
      switch (input.kind) {
        case 'read':
          return output === undefined || output === state ? legal(state) : illegal;
        case 'write':
          return legal(input.value);
        default:
          return unreachable(input, 'register input');
      }
    },
    equal: (a, b) => a === b,
    hash: hashString,
    decode: (call) => decodeRegister(call, resolved),
    describeOperation(input, output) {
      if (input.kind === 'write') return `write ${input.value}`;
      return `read → ${output === undefined ? '?' : output}`;
    },
    describeState: (state) => state,
    droppableInfo: unobservedWrites,
    simplify: (operations) => mergeUnreadValues(operations, initial),
    precheck: (operations) => readWithoutWriter(operations, writtenValue, readValue, initial),
    readWrite: {
      initial,
      written: (input) => (input.kind === 'write' ? input.value : undefined),
      read: (input, output) => (input.kind === 'read' && typeof output === 'string' ? output : undefined),
    },
  };
}

function decodeRegister(call: RawCall, options: ResolvedRegisterOptions): Decoded<RegisterInput, RegisterOutput> {
  if (call.outcome === 'fail') return { kind: 'ignored' };
  if (call.f === 'read') {
    if (call.outcome === 'info') return { kind: 'ignored' };
    if (call.completionValue === undefined) return { kind: 'invalid', expected: 'a completion value holding the value read' };
    if (isUninformativeRead(call.completionValue, options)) return { kind: 'ignored' };
    return { kind: 'operation', input: { kind: 'read' }, output: valueKey(call.completionValue) };
  }
  if (call.f === 'write') {
    return { kind: 'operation', input: { kind: 'write', value: valueKey(call.invokeValue) }, output: call.outcome === 'info' ? undefined : null };
  }
  return { kind: 'invalid', expected: 'one of :read, :write' };
}

function writtenValue(operation: Operation<RegisterInput, RegisterOutput>): string | undefined {
  return operation.input.kind === 'write' ? operation.input.value : undefined;
}

function readValue(operation: Operation<RegisterInput, RegisterOutput>): string | undefined {
  return operation.input.kind === 'read' && typeof operation.output === 'string' ? operation.output : undefined;
}

/**
 * An indeterminate write whose value no read returns can be dropped: in any linearization that
 * includes it, the operations between it and the next write would have to read its value, and
 * none does, so nothing lies between; removing it changes no observation. Conversely "never
 * took effect" is always allowed. Both verdicts are therefore preserved.
 */
function unobservedWrites(operations: readonly Operation<RegisterInput, RegisterOutput>[]) {
  const observed = new Set<string>();
  for (const operation of operations) {
    const value = readValue(operation);
    if (value !== undefined) observed.add(value);
  }
  return (operation: Operation<RegisterInput, RegisterOutput>): boolean => {
    const value = writtenValue(operation);
    return value !== undefined && !observed.has(value);
  };
}

export type { PrecheckViolation };

/** See cas-register's mergeUncomparedValues: values no read returns are indistinguishable. */
function mergeUnreadValues(operations: readonly Operation<RegisterInput, RegisterOutput>[], initial: string): Operation<RegisterInput, RegisterOutput>[] {
  const read = new Set<string>([initial]);
  for (const operation of operations) {
    const value = readValue(operation);
    if (value !== undefined) read.add(value);
  }
  return operations.map((operation) =>
    operation.input.kind === 'write' && !read.has(operation.input.value) ? { ...operation, input: { kind: 'write', value: '<unread>' } } : operation,
  );
}
