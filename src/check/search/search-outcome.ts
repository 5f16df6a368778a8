import type { UnknownReason } from '../result.js';

/** What the search of one partition found; operations are given by their ids. */
export type SearchOutcome =
  | { readonly kind: 'linearizable'; readonly order: readonly number[]; readonly configurations: number }
  | { readonly kind: 'violation'; readonly prefix: readonly number[]; readonly configurations: number }
  | { readonly kind: 'unknown'; readonly reason: UnknownReason; readonly prefix: readonly number[]; readonly configurations: number }
  /** The configuration limit of this round was reached; the caller may retry with a larger one. */
  | { readonly kind: 'paused'; readonly configurations: number };
