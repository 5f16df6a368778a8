import { fail, unreachable } from '../util/assert.js';
import { TimeBudget, type MemoryBudget } from './budget.js';
import { explainViolation } from './explain.js';
import type { AnyModel } from './model.js';
import type { Operation } from './operation.js';
import type { PartitionResult, Violation } from './result.js';
import { searchPartition } from './search/partition-search.js';
import { decideByZones } from './zones.js';
import { decideOptionalAdds } from './optional-adds.js';
import { checkCandidate } from './certificate.js';

export interface PartitionLimits {
  readonly time: TimeBudget;
  readonly memory: MemoryBudget;
  readonly configurationLimit: number;
}

/** Search time given to find a readable prefix once a pre-check has already decided the verdict. */
const explanationSearchMs = 1_000;

/**
 * Above this many operations a violation found by the zones is explained from the zones' own
 * prefix: setting up a search over a long partition costs more than the fast path itself.
 */
const explanationSearchOperationsMax = 20_000;

/** One partition made ready to search: unobservable indeterminate operations dropped. */
export interface PreparedPartition {
  readonly key: string;
  readonly kept: readonly Operation[];
  readonly indeterminateCount: number;
  readonly droppedIndeterminateCount: number;
  /** Milliseconds spent on this partition so far, over all rounds. */
  elapsedMs: number;
  /** The simplified operations the search works on, built on first use (the fast path needs none). */
  searched?: { readonly determinate: readonly Operation[]; readonly indeterminate: readonly Operation[] };
}

export function preparePartition(model: AnyModel, key: string, operations: readonly Operation[]): PreparedPartition {
  const droppable = model.droppableInfo?.(operations);
  const kept = droppable === undefined ? operations : operations.filter((operation) => operation.outcome !== 'info' || !droppable(operation));
  let info = 0;
  for (const operation of operations) if (operation.outcome === 'info') info++;
  return { key, kept, indeterminateCount: info, droppedIndeterminateCount: operations.length - kept.length, elapsedMs: 0 };
}

/** The search's view of a partition: the model's simplification, split by outcome. */
function searchInputs(model: AnyModel, partition: PreparedPartition): NonNullable<PreparedPartition['searched']> {
  if (partition.searched === undefined) {
    // The search sees the simplified operations; explanations replay the original ones.
    const searched = model.simplify?.(partition.kept) ?? partition.kept;
    partition.searched = {
      determinate: searched.filter((operation) => operation.outcome !== 'info'),
      indeterminate: searched.filter((operation) => operation.outcome === 'info'),
    };
  }
  return partition.searched;
}

/**
 * Checks one partition up to the round's configuration limit: pre-check, then search. Returns
 * undefined when the limit was reached first (the caller retries with a larger limit).
 */
export function checkPartition(model: AnyModel, partition: PreparedPartition, limits: PartitionLimits): PartitionResult | undefined {
  const clock = new TimeBudget(Infinity); // a stopwatch: no deadline of its own
  const precheck = model.precheck?.(partition.kept);
  const budget =
    precheck === undefined
      ? limits
      : { ...limits, configurationLimit: Infinity, time: new TimeBudget(Math.min(explanationSearchMs, Math.max(0, limits.time.deadlineMs - clock.startMs))) };
  const inputs = limits.time.expired() ? undefined : searchInputs(model, partition);
  const outcome =
    inputs === undefined
      ? ({ kind: 'unknown', reason: 'time budget', prefix: [], configurations: 0 } as const)
      : searchPartition(model, inputs.determinate, inputs.indeterminate, budget);
  partition.elapsedMs += clock.elapsedMs();
  if (outcome.kind === 'paused') return undefined;
  const finish = {
    ...partitionShape(partition),
    configurations: outcome.configurations,
    elapsedMs: partition.elapsedMs,
    decidedBy: 'search' as const,
  };
  if (precheck !== undefined) {
    // Paired check: the pre-check and the search must agree.
    if (outcome.kind === 'linearizable') fail(`pre-check of ${model.name} found a violation the search does not confirm`);
    return { ...finish, verdict: 'not linearizable', violation: explainViolation(model, partition.kept, outcome.prefix, precheck) };
  }
  switch (outcome.kind) {
    case 'linearizable':
      return { ...finish, verdict: 'linearizable', linearization: outcome.order };
    case 'violation':
      return { ...finish, verdict: 'not linearizable', violation: explainViolation(model, partition.kept, outcome.prefix) };
    case 'unknown':
      return { ...finish, verdict: 'unknown', reason: outcome.reason, prefix: outcome.prefix };
    default:
      return unreachable(outcome, 'search outcome');
  }
}

/**
 * Decides a partition without search when the unique-value fast path applies (see zones.ts);
 * undefined when it does not.
 */
export function decideWithoutSearch(model: AnyModel, partition: PreparedPartition, limits: Omit<PartitionLimits, 'configurationLimit'>): PartitionResult | undefined {
  const clock = new TimeBudget(Infinity); // a stopwatch
  const decision = decideByZones(model, partition.kept);
  if (decision === undefined) {
    partition.elapsedMs += clock.elapsedMs();
    return decideOptionalAddsPartition(model, partition);
  }
  let configurations = 0;
  let violation: Violation | undefined;
  if (decision.kind === 'violation' && partition.kept.length > explanationSearchOperationsMax) {
    violation = explainViolation(model, partition.kept, decision.prefix, { cause: decision.cause, culprits: decision.culprits });
  } else if (decision.kind === 'violation') {
    // The verdict is decided; a short search finds the deepest prefix for the explanation
    // (the zones' own prefix stops at the first cluster out of place), and must agree.
    const { determinate, indeterminate } = searchInputs(model, partition);
    const time = new TimeBudget(Math.min(explanationSearchMs / 2, Math.max(0, limits.time.deadlineMs - clock.startMs)));
    const searched = searchPartition(model, determinate, indeterminate, { time, memory: limits.memory, configurationLimit: Infinity });
    if (searched.kind === 'linearizable') fail(`the zones of ${model.name} found a violation the search does not confirm`);
    configurations = searched.configurations;
    const searchedPrefix = searched.kind === 'paused' ? [] : searched.prefix;
    const prefix = searchedPrefix.length > decision.prefix.length ? searchedPrefix : decision.prefix;
    violation = explainViolation(model, partition.kept, prefix, { cause: decision.cause, culprits: decision.culprits });
  }
  partition.elapsedMs += clock.elapsedMs();
  const finish = {
    ...partitionShape(partition),
    configurations,
    elapsedMs: partition.elapsedMs,
    decidedBy: 'unique values' as const,
  };
  if (decision.kind === 'linearizable') return { ...finish, verdict: 'linearizable', linearization: decision.order };
  return { ...finish, verdict: 'not linearizable', violation: violation as Violation };
}

/**
 * Decides a counter partition with indeterminate adds without search when the counter path
 * applies and stays within its limits (see optional-adds.ts); undefined otherwise.
 */
function decideOptionalAddsPartition(model: AnyModel, partition: PreparedPartition): PartitionResult | undefined {
  const clock = new TimeBudget(Infinity); // a stopwatch
  const decision = decideOptionalAdds(model, partition.kept);
  partition.elapsedMs += clock.elapsedMs();
  if (decision === undefined) return undefined;
  const finish = { ...partitionShape(partition), configurations: decision.configurations, elapsedMs: partition.elapsedMs, decidedBy: 'optional adds' as const };
  if (decision.kind === 'linearizable') return { ...finish, verdict: 'linearizable', linearization: decision.order };
  const violation = explainViolation(model, partition.kept, decision.prefix, { cause: decision.cause, culprits: decision.culprits });
  return { ...finish, verdict: 'not linearizable', violation };
}

/**
 * Decides a partition from a candidate linearization (the simulator's apply order) when it is
 * one: checked in one pass (see certificate.ts). Undefined when it is not, so that the other
 * paths decide (and explain).
 */
export function certifyPartition(model: AnyModel, partition: PreparedPartition, candidate: readonly number[]): PartitionResult | undefined {
  const clock = new TimeBudget(Infinity); // a stopwatch
  const checked = checkCandidate(model, partition.kept, candidate);
  partition.elapsedMs += clock.elapsedMs();
  if (!checked.valid) return undefined;
  return {
    ...partitionShape(partition),
    configurations: 0,
    elapsedMs: partition.elapsedMs,
    decidedBy: 'certificate',
    verdict: 'linearizable',
    linearization: checked.order,
  };
}

/** What every result says of its partition, whichever path decided it. */
function partitionShape(partition: PreparedPartition): Pick<PartitionResult, 'key' | 'operationCount' | 'indeterminateCount' | 'droppedIndeterminateCount'> {
  return {
    key: partition.key,
    operationCount: partition.kept.length,
    indeterminateCount: partition.indeterminateCount,
    droppedIndeterminateCount: partition.droppedIndeterminateCount,
  };
}

/** The result for a partition left unchecked because another one already failed. */
export function skippedPartition(partition: PreparedPartition): PartitionResult {
  return {
    ...partitionShape(partition),
    configurations: 0,
    elapsedMs: partition.elapsedMs,
    decidedBy: 'search',
    verdict: 'unknown',
    reason: 'skipped after a violation elsewhere',
    prefix: [],
  };
}
