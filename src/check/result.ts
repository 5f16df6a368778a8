/**
 * What the checker reports. A verdict is always a value: the checker never throws to say
 * "not linearizable" or "ran out of budget".
 */
export type Verdict = 'linearizable' | 'not linearizable' | 'unknown';

/**
 * Why a verdict is `unknown`: a budget ran out, or the partition was not checked to the end
 * because another partition had already failed (the overall verdict is decided by then).
 */
export type UnknownReason = 'time budget' | 'memory budget' | 'skipped after a violation elsewhere';

/** One candidate that could not be linearized next at the deepest point the search reached. */
export interface BlockedOperation {
  readonly operationId: number;
  readonly description: string;
  /** Why it cannot go next: illegal in the state, or legal but every continuation failed. */
  readonly reason: string;
}

/** A violation a person can follow: a linearizable prefix, the state, and what could not follow. */
export interface Violation {
  /** The longest linearizable prefix found, as operation ids in linearization order. */
  readonly prefix: readonly number[];
  /** The model state after that prefix. */
  readonly stateDescription: string;
  /** The operations that had to come next (their calls precede the earliest pending return). */
  readonly blocked: readonly BlockedOperation[];
  /** One or two sentences summing it up. */
  readonly summary: string;
  /** The operations a proof of the violation names (a pre-check or the fast path), when there is one. */
  readonly culprits?: readonly number[];
}

/**
 * Which path decided a partition: the search; the unique-value fast path (zones, no search);
 * or a candidate linearization handed in by the caller (the simulator's apply order), checked
 * in one pass.
 */
export type DecidedBy = 'search' | 'unique values' | 'certificate' | 'optional adds';

interface PartitionCommon {
  readonly key: string;
  /** Operations checked (after dropping failed and unobservable indeterminate ones). */
  readonly operationCount: number;
  readonly indeterminateCount: number;
  /** Indeterminate operations dropped because nothing could observe them. */
  readonly droppedIndeterminateCount: number;
  /** Search configurations visited (memoised (linearized set, state) pairs). */
  readonly configurations: number;
  readonly elapsedMs: number;
  readonly decidedBy: DecidedBy;
}

export type PartitionResult =
  | (PartitionCommon & { readonly verdict: 'linearizable'; readonly linearization: readonly number[] })
  | (PartitionCommon & { readonly verdict: 'not linearizable'; readonly violation: Violation })
  | (PartitionCommon & {
      readonly verdict: 'unknown';
      readonly reason: UnknownReason;
      /** The longest linearizable prefix found before the budget ran out. */
      readonly prefix: readonly number[];
    });

export interface CheckResult {
  readonly verdict: Verdict;
  readonly model: string;
  readonly operationCount: number;
  readonly partitions: readonly PartitionResult[];
  readonly elapsedMs: number;
}

/** The overall verdict: any violation wins, then any unknown, else linearizable. */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('not linearizable')) return 'not linearizable';
  if (verdicts.includes('unknown')) return 'unknown';
  return 'linearizable';
}
