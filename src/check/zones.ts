import { assert } from '../util/assert.js';
import { checkCandidate } from './certificate.js';
import { describeOperation } from './describe.js';
import type { AnyModel } from './model.js';
import type { Operation } from './operation.js';
import { callOrder, returnOrder } from './time-order.js';

/** What the fast path decided for one partition. */
export type ZoneDecision =
  | { readonly kind: 'linearizable'; readonly order: readonly number[] }
  | {
      readonly kind: 'violation';
      /** One or two sentences naming the operations at fault. */
      readonly cause: string;
      /** The operations the sentence names, by id. */
      readonly culprits: readonly number[];
      /** A linearizable prefix to explain from: the longest valid prefix of the order built. */
      readonly prefix: readonly number[];
    };

/**
 * Clusters in struct-of-arrays form. Cluster 0 is the initial value (a virtual write before
 * everything); every other cluster is one write with the reads that returned its value.
 * `low` is the earliest return among the cluster's operations (entry rank), `high` the latest
 * invocation; `lowOperation` and `highOperation` are the operations at those entries (-1 for
 * the virtual write).
 */
interface Clusters {
  readonly count: number;
  readonly value: readonly string[];
  readonly write: Int32Array;
  readonly readCount: Int32Array;
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly lowOperation: Int32Array;
  readonly highOperation: Int32Array;
}

/**
 * The unique-value fast path (the "zones" of Gibbons & Korach, "Testing shared memories", SIAM
 * J. Comput. 1997; restated by Golab, Li & Shah, PODC 2011). When every value that is read was
 * written by one operation only, each read names its write, and a register history is
 * linearizable exactly when
 *  1. no read returns before its write is invoked (and every value read was written, or is
 *     the initial value);
 *  2. the forward zones of two values do not overlap; and
 *  3. no backward zone lies inside a forward zone.
 * A value's cluster is its write and its reads. Its zone runs from the earliest return in the
 * cluster to the latest invocation: when the return comes first (a forward zone), every
 * linearization must keep the register at that value over the whole span, since the cluster's
 * operations are contiguous in any linearization (a value written once is never current again
 * after the next write); when the invocation comes first (a backward zone), all of the cluster
 * can be placed at one instant of the span, which must not be inside another value's span.
 *
 * Works on entry ranks (calls before returns at equal times, so touching intervals are
 * concurrent, as in the search). Indeterminate writes: an unobserved one never needs to take
 * effect and is left out; an observed one took effect, with no return (rank +infinity).
 * O(n log n). Returns undefined when the fast path does not apply: the model has no
 * read/write view, an operation is neither a read nor a write, or a value that is read is
 * written twice (or is the initial value and written again).
 *
 * Either verdict comes with an order built from the zones, which `checkCandidate` verifies; a
 * linearizable verdict whose order fails the check would be a bug here, so it is asserted.
 */
export function decideByZones(model: AnyModel, operations: readonly Operation[]): ZoneDecision | undefined {
  const view = model.readWrite;
  if (view === undefined) return undefined;
  const count = operations.length;
  const values: string[] = new Array(count);
  const isWrite = new Uint8Array(count);
  const readValues = new Set<string>();
  for (let index = 0; index < count; index++) {
    const operation = operations[index] as Operation;
    const written = view.written(operation.input);
    if (written !== undefined) {
      values[index] = written;
      isWrite[index] = 1;
      continue;
    }
    const read = view.read(operation.input, operation.output);
    if (read === undefined) return undefined;
    values[index] = read;
    readValues.add(read);
  }
  // Each value read must have one writer (the initial value counts as one).
  const clusterOfValue = new Map<string, number>();
  const clusterOf = new Int32Array(count).fill(-1);
  const clusterValues: string[] = [view.initial];
  const clusterWrites: number[] = [-1];
  for (let index = 0; index < count; index++) {
    if (isWrite[index] === 0) continue;
    const value = values[index] as string;
    if (readValues.has(value)) {
      if (value === view.initial || clusterOfValue.has(value)) return undefined;
      clusterOfValue.set(value, clusterWrites.length);
    } else if ((operations[index] as Operation).outcome === 'info') {
      continue; // an indeterminate write nobody read: it need not take effect, and is left out
    }
    clusterOf[index] = clusterWrites.length;
    clusterValues.push(value);
    clusterWrites.push(index);
  }
  const describe = (index: number): string => describeOperation(model, operations[index] as Operation);
  // A read of a value nobody writes (the earliest to return) is reported once the order is built.
  let thinAir = -1;
  for (let index = 0; index < count; index++) {
    if (isWrite[index] === 1) continue;
    const value = values[index] as string;
    const cluster = value === view.initial ? 0 : clusterOfValue.get(value);
    if (cluster !== undefined) clusterOf[index] = cluster;
    else if (thinAir < 0 || (operations[index] as Operation).returnTime < (operations[thinAir] as Operation).returnTime) thinAir = index;
  }

  const { callRank, returnRank } = entryRanks(operations);
  const clusterCount = clusterWrites.length;
  const clusters: Clusters = {
    count: clusterCount,
    value: clusterValues,
    write: Int32Array.from(clusterWrites),
    readCount: new Int32Array(clusterCount),
    low: new Float64Array(clusterCount).fill(Infinity),
    high: new Float64Array(clusterCount).fill(-Infinity),
    lowOperation: new Int32Array(clusterCount).fill(-1),
    highOperation: new Int32Array(clusterCount).fill(-1),
  };
  clusters.low[0] = -1;
  clusters.high[0] = -1;
  for (let index = 0; index < count; index++) {
    const cluster = clusterOf[index] as number;
    if (cluster < 0) continue;
    if (isWrite[index] === 0) clusters.readCount[cluster] = (clusters.readCount[cluster] as number) + 1;
    if ((returnRank[index] as number) < (clusters.low[cluster] as number)) {
      clusters.low[cluster] = returnRank[index] as number;
      clusters.lowOperation[cluster] = index;
    }
    if ((callRank[index] as number) > (clusters.high[cluster] as number)) {
      clusters.high[cluster] = callRank[index] as number;
      clusters.highOperation[cluster] = index;
    }
  }
  const order = (forward?: Int32Array): readonly number[] => buildOrder(operations, clusters, clusterOf, isWrite, callRank, forward ?? forwardZones(clusters));

  if (thinAir >= 0) {
    const cause = `${describe(thinAir)} returns ${values[thinAir]}, but no operation ever writes it, so no order of the operations is legal.`;
    return violation(model, operations, order(), cause, [thinAir]);
  }
  // 1. No read returns before its write is invoked.
  for (let cluster = 1; cluster < clusterCount; cluster++) {
    const write = clusters.write[cluster] as number;
    const early = clusters.lowOperation[cluster] as number;
    if (early === write || (clusters.low[cluster] as number) > (callRank[write] as number)) continue;
    const cause = `${describe(early)} returned before ${describe(write)}, the only write of ${clusters.value[cluster]}, was invoked, so it cannot have read it.`;
    return violation(model, operations, order(), cause, [early, write]);
  }
  // 2. Forward zones do not overlap.
  const forward = forwardZones(clusters);
  for (let position = 1; position < forward.length; position++) {
    const before = forward[position - 1] as number;
    const after = forward[position] as number;
    if ((clusters.low[after] as number) > (clusters.high[before] as number)) continue;
    const cause =
      `The register must hold ${clusters.value[before]} ${span(clusters, before, describe)} and ${clusters.value[after]} ${span(clusters, after, describe)}; ` +
      `these spans overlap, and neither value is written again, so no order of the operations is legal.`;
    return violation(model, operations, order(forward), cause, [...culprits(clusters, before), ...culprits(clusters, after)]);
  }
  // 3. No backward zone lies inside a forward zone.
  for (let cluster = 1; cluster < clusterCount; cluster++) {
    if ((clusters.low[cluster] as number) < (clusters.high[cluster] as number)) continue;
    const around = enclosingForward(clusters, forward, clusters.high[cluster] as number);
    if (around < 0 || (clusters.low[cluster] as number) > (clusters.high[around] as number)) continue;
    const reads = clusters.readCount[cluster] as number;
    const write = clusters.write[cluster] as number;
    const cause =
      `${describe(write)}${reads > 0 ? ` and its ${reads} read${reads === 1 ? '' : 's'}` : ''} must take effect while ` +
      `the register must hold ${clusters.value[around]} (${span(clusters, around, describe)}), and ${clusters.value[around]} is not written again, so no order of the operations is legal.`;
    return violation(model, operations, order(forward), cause, [...culprits(clusters, around), write]);
  }
  const decided = checkCandidate(model, operations, order(forward));
  assert(decided.valid, 'the order built from the zones is a linearization');
  return { kind: 'linearizable', order: decided.order };
}

/** Clusters whose zone is forward (earliest return before latest invocation), by start. */
function forwardZones(clusters: Clusters): Int32Array {
  const forward: number[] = [];
  for (let cluster = 0; cluster < clusters.count; cluster++) if ((clusters.low[cluster] as number) < (clusters.high[cluster] as number)) forward.push(cluster);
  return Int32Array.from(forward).sort((a, b) => (clusters.low[a] as number) - (clusters.low[b] as number));
}

function culprits(clusters: Clusters, cluster: number): number[] {
  return [clusters.lowOperation[cluster] as number, clusters.highOperation[cluster] as number].filter((operation) => operation >= 0);
}

function span(clusters: Clusters, cluster: number, describe: (index: number) => string): string {
  const until = describe(clusters.highOperation[cluster] as number);
  const from = clusters.lowOperation[cluster] as number;
  if (from < 0) return `from the start until ${until} takes effect`;
  return `from when ${describe(from)} returned until ${until}, invoked later, takes effect`;
}

/** The forward zone starting last before `rank`, if `rank` lies inside it; -1 otherwise. */
function enclosingForward(clusters: Clusters, forward: Int32Array, rank: number): number {
  let low = 0;
  let high = forward.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((clusters.low[forward[middle] as number] as number) < rank) low = middle + 1;
    else high = middle;
  }
  if (low === 0) return -1;
  const candidate = forward[low - 1] as number;
  return (clusters.high[candidate] as number) > rank ? candidate : -1;
}

function violation(model: AnyModel, operations: readonly Operation[], order: readonly number[], cause: string, culpritIndices: readonly number[]): ZoneDecision {
  const checked = checkCandidate(model, operations, order);
  const prefix = checked.valid ? checked.order : checked.prefix;
  return { kind: 'violation', cause, culprits: culpritIndices.map((index) => (operations[index] as Operation).id), prefix };
}

/**
 * Ranks of every call and return in time order: at equal times calls come first, then history
 * position (as in the search, so touching intervals are concurrent). An indeterminate operation
 * has no return (rank +infinity). A merge of the call order and the return order.
 */
function entryRanks(operations: readonly Operation[]): { callRank: Float64Array; returnRank: Float64Array } {
  const calls = callOrder(operations);
  const returns = returnOrder(operations);
  const callRank = new Float64Array(operations.length);
  const returnRank = new Float64Array(operations.length).fill(Infinity);
  let rank = 0;
  let nextReturn = 0;
  for (const index of calls) {
    const callTime = (operations[index] as Operation).callTime;
    while (nextReturn < returns.length && (operations[returns[nextReturn] as number] as Operation).returnTime < callTime) returnRank[returns[nextReturn++] as number] = rank++;
    callRank[index] = rank++;
  }
  while (nextReturn < returns.length) returnRank[returns[nextReturn++] as number] = rank++;
  return { callRank, returnRank };
}

/**
 * An order from the zones: each forward cluster over its span (its write just before the span's
 * first return, its reads after their invocations), each backward cluster at one instant just
 * after its last invocation, or just after the forward span it would fall in. Points are
 * offset by quarters and halves so that clusters never interleave. On a violating history the
 * order is still built; its longest valid prefix is what the explanation replays.
 */
function buildOrder(operations: readonly Operation[], clusters: Clusters, clusterOf: Int32Array, isWrite: Uint8Array, callRank: Float64Array, forward: Int32Array): number[] {
  // Sort key: quarter-point, then cluster, then write before reads (stable for the rest).
  const stride = 2 * clusters.count;
  const keys = new Float64Array(operations.length);
  const members: number[] = [];
  const instant = new Float64Array(clusters.count);
  for (let cluster = 0; cluster < clusters.count; cluster++) {
    if ((clusters.low[cluster] as number) < (clusters.high[cluster] as number)) continue;
    const around = enclosingForward(clusters, forward, clusters.high[cluster] as number);
    instant[cluster] = (around < 0 ? (clusters.high[cluster] as number) : (clusters.high[around] as number)) + 0.5;
  }
  for (let index = 0; index < operations.length; index++) {
    const cluster = clusterOf[index] as number;
    if (cluster < 0) continue;
    const low = clusters.low[cluster] as number;
    let point: number;
    if (low < (clusters.high[cluster] as number)) point = isWrite[index] === 1 ? low - 0.25 : Math.max((callRank[index] as number) + 0.25, low - 0.25);
    else point = instant[cluster] as number;
    keys[index] = point * 4 * stride + 2 * cluster + (isWrite[index] === 1 ? 0 : 1);
    members.push(index);
  }
  const sorted = Int32Array.from(members).sort((a, b) => (keys[a] as number) - (keys[b] as number));
  return Array.from(sorted, (index) => (operations[index] as Operation).id);
}
