import type { HistoryEvent } from '../history/operation.js';
import { TimeBudget } from './budget.js';
import { checkPartition, decideWithoutSearch, preparePartition, skippedPartition, type PreparedPartition } from './check-partition.js';
import type { AnyModel } from './model.js';
import type { Operation } from './operation.js';
import { resolveCheckOptions, type CheckOptions } from './options.js';
import { pairOperations } from './pair-operations.js';
import { partitionOperations } from './partition.js';
import { combineVerdicts, type CheckResult, type PartitionResult } from './result.js';
import type { FailSemantics } from './semantics.js';
import type { HistorySource } from './source.js';

export interface CheckHistoryOptions extends CheckOptions {
  /** Check every partition to the end even after one has failed (slower on bad histories). */
  readonly allPartitions?: boolean;
  /** File and line numbers of the events, so that malformed input is reported precisely. */
  readonly source?: HistorySource;
  /** What a `fail` completion means; default `observed` (each model decides, Porcupine's rule). */
  readonly failSemantics?: FailSemantics;
  /** Search every partition, skipping the unique-value fast path (differential tests, benchmarks). */
  readonly searchOnly?: boolean;
}

/** The result plus the decoded operations, which reports and explanations refer to by id. */
export interface CheckedHistory extends CheckResult {
  readonly operations: readonly Operation[];
  /** Operations the model left out (failed ones, indeterminate reads). */
  readonly ignoredCount: number;
  /** The rule that was applied to failed operations. */
  readonly failSemantics: FailSemantics;
}

/**
 * Checks a history against a model: pairs invocations with completions, splits by key, and
 * searches each partition within the time and memory budgets. The verdict is always a value;
 * only malformed input throws (an `InputError`).
 */
export function checkHistory(history: readonly HistoryEvent[], model: AnyModel, options: CheckHistoryOptions = {}): CheckedHistory {
  const resolved = resolveCheckOptions(options);
  const time = new TimeBudget(resolved.timeoutMs);
  const failSemantics = options.failSemantics ?? 'observed';
  const paired = pairOperations(history, model, options.source, { failSemantics });
  const checked = checkOperations(paired.operations, model, { time, memoryBytes: resolved.memoryBytes, allPartitions: options.allPartitions, searchOnly: options.searchOnly }, paired.ignoredCount);
  return { ...checked, failSemantics };
}

/** The first round's configuration limit per partition; each later round multiplies it. */
const firstRoundConfigurations = 20_000;
const roundGrowth = 8;

/**
 * The checking part alone, for callers (the benchmark) that time parsing and pairing apart.
 *
 * Partitions are searched in rounds with a growing configuration limit, smallest first, so a
 * violation that is cheap to find in any partition is found before an expensive partition is
 * exhausted (Porcupine gets the same effect by checking partitions in parallel). Restarting a
 * paused partition costs at most 1/(growth-1) extra. Unless `allPartitions` is set, partitions
 * still open once one has failed are reported as skipped: the overall verdict is decided.
 */
export function checkOperations(
  operations: readonly Operation[],
  model: AnyModel,
  limits: { time: TimeBudget; memoryBytes: number; allPartitions?: boolean; searchOnly?: boolean },
  ignoredCount = 0,
): Omit<CheckedHistory, 'failSemantics'> {
  const prepared = [...partitionOperations(model, operations)].map(([key, partition]) => preparePartition(model, key, partition));
  const results = new Map<PreparedPartition, PartitionResult>();
  let failed = false;
  // Partitions the unique-value fast path decides need no search (see zones.ts).
  for (const partition of prepared) {
    const decided = limits.searchOnly === true || (failed && limits.allPartitions !== true) ? undefined : decideWithoutSearch(model, partition, limits);
    if (decided === undefined) continue;
    results.set(partition, decided);
    if (decided.verdict === 'not linearizable') failed = true;
  }
  let open = prepared.filter((partition) => !results.has(partition)).sort((a, b) => a.kept.length - b.kept.length);
  let configurationLimit = firstRoundConfigurations;
  while (open.length > 0 && !(failed && limits.allPartitions !== true)) {
    const stillOpen: PreparedPartition[] = [];
    for (const partition of open) {
      const result = failed && limits.allPartitions !== true ? undefined : checkPartition(model, partition, { ...limits, configurationLimit });
      if (result === undefined) stillOpen.push(partition);
      else results.set(partition, result);
      if (result?.verdict === 'not linearizable') failed = true;
    }
    open = stillOpen;
    configurationLimit *= roundGrowth;
  }
  for (const partition of open) results.set(partition, skippedPartition(partition));
  const partitions = prepared.map((partition) => results.get(partition) as PartitionResult);
  return {
    verdict: combineVerdicts(partitions.map((partition) => partition.verdict)),
    model: model.name,
    operationCount: operations.length,
    partitions,
    elapsedMs: limits.time.elapsedMs(),
    operations,
    ignoredCount,
  };
}
