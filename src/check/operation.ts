import type { Json } from '../history/operation.js';

/**
 * How an operation ended. `ok` took effect with the observed output; `fail` definitely did not
 * take effect; `info` is indeterminate: it may take effect at any time after its invocation, or
 * never, and its output is unknown.
 */
export type Outcome = 'ok' | 'fail' | 'info';

/**
 * One operation after pairing an invocation with its completion and decoding it for a model.
 * `id` is the operation's position in call order over the whole history; explanations and the
 * HTML report refer to operations by it.
 */
export interface Operation<Input = unknown, Output = unknown> {
  readonly id: number;
  readonly process: number;
  /** The independent object this operation acts on (P-compositionality); '' when unkeyed. */
  readonly key: string;
  readonly f: string;
  readonly input: Input;
  /** The observed output; `undefined` when the outcome is `info` (unknown). */
  readonly output: Output | undefined;
  readonly outcome: Outcome;
  /** Times from the history; `returnTime` is `Infinity` for an indeterminate operation. */
  readonly callTime: number;
  readonly returnTime: number;
  /** Positions of the invoke and completion events in the history (-1: never completed). */
  readonly invokeIndex: number;
  readonly completionIndex: number;
  /** The raw values, kept for display. */
  readonly invokeValue: Json;
  readonly completionValue: Json | undefined;
}

export function isIndeterminate(operation: Operation): boolean {
  return operation.outcome === 'info';
}
