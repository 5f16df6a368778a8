import type { Json } from '../../history/operation.js';
import { unreachable } from '../../util/assert.js';
import { valueKey } from '../value-key.js';

/**
 * How a read that returned nil is read. `state`: the register held nil (faultline's and
 * Porcupine's reading). `unknown`: Jepsen's (Knossos') register models accept a nil read in any
 * state, because a read's invocation carries nil and some clients complete it unchanged; such a
 * read tells nothing and changes nothing, so it is left out.
 */
export type NilReads = 'state' | 'unknown';
export const nilReadsNames: readonly NilReads[] = ['state', 'unknown'];

/** Options of the register models (`--initial-value`, `--nil-reads`). */
export interface RegisterOptions {
  /** The value before any write; default nil. */
  readonly initialValue?: Json;
  readonly nilReads?: NilReads;
}

export interface ResolvedRegisterOptions {
  /** Canonical JSON of the initial value. */
  readonly initial: string;
  readonly nilReads: NilReads;
}

export function resolveRegisterOptions(options: RegisterOptions = {}): ResolvedRegisterOptions {
  return { initial: valueKey(options.initialValue ?? null), nilReads: options.nilReads ?? 'state' };
}

/** For the models' one-line summaries. */
export function describeRegisterOptions(options: ResolvedRegisterOptions): string {
  const initial = `initial value ${options.initial === 'null' ? 'nil' : options.initial}`;
  switch (options.nilReads) {
    case 'state':
      return initial;
    case 'unknown':
      return `${initial}, nil reads tell nothing (Jepsen)`;
    default:
      return unreachable(options.nilReads, 'nil reads');
  }
}

/** True when a completed read's value is nil and the options say such a read tells nothing. */
export function isUninformativeRead(value: Json | undefined, options: ResolvedRegisterOptions): boolean {
  return options.nilReads === 'unknown' && value === null;
}
