import type { Json } from '../history/operation.js';
import type { Operation, Outcome } from './operation.js';

/** The result of applying one operation to a state: illegal, or legal with the next state. */
export type StepResult<State> = { readonly legal: true; readonly next: State } | { readonly legal: false };

/** Shared so that an illegal step allocates nothing. */
export const illegal: { readonly legal: false } = Object.freeze({ legal: false });

export function legal<State>(next: State): StepResult<State> {
  return { legal: true, next };
}

/** What a model makes of one completed invocation from the history. */
export type Decoded<Input, Output> =
  /** Check it: `output` is `undefined` when the outcome is `info`. */
  | { readonly kind: 'operation'; readonly input: Input; readonly output: Output | undefined }
  /** Leave it out: it cannot have taken effect and tells nothing (a failed write, an info read). */
  | { readonly kind: 'ignored' }
  /** The values do not fit the model: `expected` says what was expected, for the error message. */
  | { readonly kind: 'invalid'; readonly expected: string };

/** One history invocation with its completion, as handed to `Model.decode`. */
export interface RawCall {
  readonly process: number;
  readonly f: string;
  readonly invokeValue: Json;
  /** `undefined` when the invocation never completed (treated as `info`). */
  readonly completionValue: Json | undefined;
  readonly outcome: Outcome;
}

/**
 * Every model's step must accept an indeterminate operation (output `undefined`) in every
 * state: the search relies on it.
 *
 * A violation found without searching, by a model's cheap pre-check. */
export interface PrecheckViolation {
  readonly operationId: number;
  readonly reason: string;
}

/**
 * A sequential specification (Porcupine's model, with decoding added). Every function is pure:
 * states are immutable values, and `step` never mutates its arguments.
 */
export interface Model<State, Input, Output> {
  readonly name: string;
  /** One line for `--help` and the docs. */
  readonly summary: string;
  /** The `f` values the model accepts. */
  readonly functions: readonly string[];
  init(): State;
  /** Is `input` with observed `output` legal in `state`? `output` is undefined when unknown. */
  step(state: State, input: Input, output: Output | undefined): StepResult<State>;
  equal(a: State, b: State): boolean;
  /** A 32-bit hash consistent with `equal`. */
  hash(state: State): number;
  decode(call: RawCall): Decoded<Input, Output>;
  /** Optional finer partition inside one key, for models whose operations split further. */
  partition?(input: Input): string;
  describeOperation(input: Input, output: Output | undefined): string;
  describeState(state: State): string;
  /**
   * Optional: given one partition's operations, a predicate saying which indeterminate
   * operations can be dropped because no completed operation could observe their effect.
   * Dropping must preserve the verdict in both directions (see each model for its argument).
   */
  droppableInfo?(operations: readonly Operation<Input, Output>[]): (operation: Operation<Input, Output>) => boolean;
  /**
   * Optional: an equivalent rewrite of one partition's operations for the search only, such as
   * merging values that no operation can tell apart. Must keep ids, times and outcomes, and
   * accept exactly the same orders; explanations are still given on the original operations.
   */
  simplify?(operations: readonly Operation<Input, Output>[]): Operation<Input, Output>[];
  /** Optional: a violation provable without search (e.g. reading a value nobody wrote). */
  precheck?(operations: readonly Operation<Input, Output>[]): PrecheckViolation | undefined;
  /**
   * Optional: the model seen as a register of plain reads and writes, for the unique-value fast
   * path (src/check/zones.ts). Only models whose state is exactly the last value written may
   * offer it.
   */
  readonly readWrite?: ReadWriteView<Input, Output>;
  /**
   * Optional: the model seen as a sum of integer deltas (a counter), for the path that decides
   * indeterminate adds without search (src/check/optional-adds.ts). Only models whose state is
   * exactly `init()` plus the deltas applied, and whose reads return it, may offer it.
   */
  readonly sum?: SumView<Input, Output>;
}

export interface SumView<Input, Output> {
  /** The delta an add adds; undefined for any other operation. */
  delta(input: Input): number | undefined;
  /** The value a read returned; undefined for any other operation. */
  read(input: Input, output: Output | undefined): number | undefined;
}

export interface ReadWriteView<Input, Output> {
  /** The value before any write, in the same canonical form. */
  readonly initial: string;
  /** The value a plain write writes (canonical, compared with `===`); undefined for any other operation. */
  written(input: Input): string | undefined;
  /** The value a plain read returned; undefined for any other operation (a cas, an append). */
  read(input: Input, output: Output | undefined): string | undefined;
}

/**
 * A model with its type parameters erased, for registries and the CLI. Every model is used
 * through the same generic code, so the erasure is safe as long as operations are decoded by the
 * same model that steps them (checkHistory guarantees it).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any, any>;
