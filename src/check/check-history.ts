import type { HistoryEvent } from '../history/operation.js';
import { MemoryBudget, TimeBudget } from './budget.js';
import { certifyPartition, checkPartition, decideWithoutSearch, preparePartition, skippedPartition, type PreparedPartition } from './check-partition.js';
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
  /** Search every partition, skipping the fast paths (differential tests, benchmarks). */
  readonly searchOnly?: boolean;
  /**
   * A candidate linearization (a certificate): the positions in `history` of invoke events, in
   * the order their operations took effect, as a simulator knows it. Checked first, in one pass
   * per partition; only partitions where it fails go on to the other paths. Protocol-independent:
   * it is just an order.
   */
  readonly candidate?: readonly number[];
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
  const candidate = options.candidate === undefined ? undefined : candidateIds(paired.operations, options.candidate);
  const checked = checkOperations(paired.operations, model, { time, memoryBytes: resolved.memoryBytes, allPartitions: options.allPartitions, searchOnly: options.searchOnly, candidate }, paired.ignoredCount);
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
  limits: { time: TimeBudget; memoryBytes: number; allPartitions?: boolean; searchOnly?: boolean; candidate?: readonly number[] },
  ignoredCount = 0,
): Omit<CheckedHistory, 'failSemantics'> {
  // One budget for the whole check: partitions are searched one after another, but paused ones
  // leave garbage behind, and the parsed history counts too (see MemoryBudget).
  const memory = new MemoryBudget(limits.memoryBytes);
  const prepared = [...partitionOperations(model, operations)].map(([key, partition]) => preparePartition(model, key, partition));
  const results = new Map<PreparedPartition, PartitionResult>();
  let failed = false;
  // Partitions the certificate or the unique-value fast path decide need no search.
  const certified = limits.candidate === undefined || limits.searchOnly === true ? undefined : splitCandidate(operations, prepared, limits.candidate);
  for (const partition of prepared) {
    const candidate = certified?.get(partition);
    const byCertificate = candidate === undefined ? undefined : certifyPartition(model, partition, candidate);
    if (byCertificate !== undefined) {
      results.set(partition, byCertificate);
      continue;
    }
    const decided = limits.searchOnly === true || (failed && limits.allPartitions !== true) ? undefined : decideWithoutSearch(model, partition, { time: limits.time, memory });
    if (decided === undefined) continue;
    results.set(partition, decided);
    if (decided.verdict === 'not linearizable') failed = true;
  }
  let open = prepared.filter((partition) => !results.has(partition)).sort((a, b) => a.kept.length - b.kept.length);
  let configurationLimit = firstRoundConfigurations;
  while (open.length > 0 && !(failed && limits.allPartitions !== true)) {
    const stillOpen: PreparedPartition[] = [];
    for (const partition of open) {
      const result = failed && limits.allPartitions !== true ? undefined : checkPartition(model, partition, { time: limits.time, memory, configurationLimit });
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

/** Invocation positions to operation ids (positions of ignored operations are dropped). */
function candidateIds(operations: readonly Operation[], invocations: readonly number[]): number[] {
  const idByInvocation = new Map<number, number>();
  for (const operation of operations) idByInvocation.set(operation.invokeIndex, operation.id);
  const ids: number[] = [];
  for (const invocation of invocations) {
    const id = idByInvocation.get(invocation);
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

/** The candidate order of ids split by partition, in one pass. */
function splitCandidate(operations: readonly Operation[], prepared: readonly PreparedPartition[], candidate: readonly number[]): Map<PreparedPartition, number[]> {
  const partitionOfId = new Int32Array(operations.length + 1).fill(-1);
  prepared.forEach((partition, index) => {
    for (const operation of partition.kept) if (operation.id < partitionOfId.length) partitionOfId[operation.id] = index;
  });
  const split = new Map<PreparedPartition, number[]>(prepared.map((partition) => [partition, []]));
  for (const id of candidate) {
    const index = id >= 0 && id < partitionOfId.length ? (partitionOfId[id] as number) : -1;
    if (index >= 0) split.get(prepared[index] as PreparedPartition)!.push(id);
  }
  return split;
}
