/**
 * The consistency ladder: the models faultline checks a history against, strongest first.
 *
 * linearizable ⇒ sequential ⇒ causal ⇒ each of the four session guarantees (Terry et al.,
 * PDIS 1994). The session guarantees are incomparable with one another. Every definition is in
 * docs/consistency.md; the checks live in the files of this folder.
 */
export const consistencyModels = [
  'linearizable',
  'sequential',
  'causal',
  'read-your-writes',
  'monotonic-reads',
  'monotonic-writes',
  'writes-follow-reads',
] as const;

export type ConsistencyModel = (typeof consistencyModels)[number];

export type SessionGuarantee = 'read-your-writes' | 'monotonic-reads' | 'monotonic-writes' | 'writes-follow-reads';

export const sessionGuarantees: readonly SessionGuarantee[] = ['read-your-writes', 'monotonic-reads', 'monotonic-writes', 'writes-follow-reads'];

export function isConsistencyModel(name: string): name is ConsistencyModel {
  return (consistencyModels as readonly string[]).includes(name);
}

/**
 * The models a model implies (weaker ones). A history that keeps a model keeps every model it
 * implies; a history that breaks a model breaks every model that implies it.
 */
export function weakerModels(model: ConsistencyModel): readonly ConsistencyModel[] {
  switch (model) {
    case 'linearizable':
      return ['sequential', 'causal', ...sessionGuarantees];
    case 'sequential':
      return ['causal', ...sessionGuarantees];
    case 'causal':
      return sessionGuarantees;
    case 'read-your-writes':
    case 'monotonic-reads':
    case 'monotonic-writes':
    case 'writes-follow-reads':
      return [];
    default: {
      const never: never = model;
      return never;
    }
  }
}

/** A violation a person can follow: the operations involved (ids) and one or two sentences. */
export interface ConsistencyViolation {
  readonly operations: readonly number[];
  readonly summary: string;
}

/**
 * One model's verdict. `impliedBy` is set when the verdict was not searched for but follows
 * from another model's (a stronger model holds, or a weaker one is violated).
 */
export type ModelVerdict =
  | { readonly model: ConsistencyModel; readonly verdict: 'holds'; readonly impliedBy?: ConsistencyModel; readonly elapsedMs: number }
  | { readonly model: ConsistencyModel; readonly verdict: 'violated'; readonly violation: ConsistencyViolation; readonly impliedBy?: ConsistencyModel; readonly elapsedMs: number }
  | { readonly model: ConsistencyModel; readonly verdict: 'unknown'; readonly reason: string; readonly elapsedMs: number };

/** What one checker answers before implications are applied. */
export type CheckAnswer =
  | { readonly verdict: 'holds' }
  | { readonly verdict: 'violated'; readonly violation: ConsistencyViolation }
  | { readonly verdict: 'unknown'; readonly reason: string };

export const holds: CheckAnswer = Object.freeze({ verdict: 'holds' });

export function violated(operations: readonly number[], summary: string): CheckAnswer {
  return { verdict: 'violated', violation: { operations, summary } };
}

export function unknownAnswer(reason: string): CheckAnswer {
  return { verdict: 'unknown', reason };
}
