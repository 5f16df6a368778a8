import { assert, fail } from '../util/assert.js';
import { checkCandidate } from './certificate.js';
import type { AnyModel } from './model.js';
import type { Operation } from './operation.js';
import { entryOrder } from './search/entry-order.js';

/** What the counter path decided for one partition. */
export type OptionalAddsDecision = { readonly configurations: number } & (
  | { readonly kind: 'linearizable'; readonly order: readonly number[] }
  | {
      readonly kind: 'violation';
      readonly cause: string;
      readonly culprits: readonly number[];
      /** The deepest linearizable prefix the decision reached (ids, indeterminate adds included). */
      readonly prefix: readonly number[];
    }
);

/** Beyond these the path gives up and the generic search decides (it is exact either way). */
const determinateMax = 2_000;
const classesMax = 12;
/** Vectors of possible indeterminate-add counts kept for one configuration. */
const frontierMax = 512;
const configurationsMax = 200_000;
/** Characters of memo keys, about twice as many bytes. */
const memoCharactersMax = 32 * 1024 * 1024;

class GiveUp extends Error {}

/**
 * Counter partitions with indeterminate adds, decided without branching on those adds.
 *
 * A counter's state is a sum and adds commute, so an indeterminate add matters only to the
 * reads placed after it. In a linearization, an indeterminate add can be moved later (it has
 * no return, so nothing must follow it) up to just before the first read that counts it; it can
 * go there when it was invoked before the earliest return still pending at that point (then
 * everything that returned before its invocation is already placed). And indeterminate adds of
 * the same delta are interchangeable; taking them in call order loses nothing (one invoked
 * earlier is available wherever a later one is). So the search only orders the determinate
 * operations, as the generic search does (Wing & Gong / Lowe, calls before the first pending
 * return), and carries with each configuration the set F of count vectors (how many adds of
 * each delta took effect) that are consistent with every read placed so far. Placing a read of
 * value v, with D the determinate adds placed and avail the adds invoked early enough, maps F
 * to every w with u ≤ w ≤ avail for some u in F and D + Σ w·δ = v: the adds counted by an
 * earlier read stay counted. The history is linearizable exactly when some order of the
 * determinate operations keeps F non-empty to the end; the memo is keyed by (placed set, F).
 *
 * It applies to models with a `sum` view (the counter) when every operation is an add or a
 * read and at least one add is indeterminate, and gives up (undefined, so the generic search
 * decides) past its limits: many deltas, large frontiers, many configurations. A linearizable
 * verdict comes with an order that is checked by the certificate checker; a violation comes with
 * the deepest prefix it reached.
 */
export function decideOptionalAdds(model: AnyModel, operations: readonly Operation[]): OptionalAddsDecision | undefined {
  const view = model.sum;
  if (view === undefined) return undefined;
  const determinate: Operation[] = [];
  const indeterminate: Operation[] = [];
  for (const operation of operations) {
    const delta = view.delta(operation.input);
    if (operation.outcome === 'info') {
      if (delta === undefined) return undefined;
      indeterminate.push(operation);
    } else {
      if (delta === undefined && view.read(operation.input, operation.output) === undefined) return undefined;
      determinate.push(operation);
    }
  }
  if (indeterminate.length === 0 || determinate.length > determinateMax) return undefined;

  const order = entryOrder(determinate, indeterminate);
  // Classes of indeterminate adds by delta, each in call order (entry rank, then position).
  const classOf = new Map<number, number>();
  const deltas: number[] = [];
  const members: number[][] = [];
  indeterminate.forEach((operation, index) => {
    const delta = view.delta(operation.input) as number;
    let klass = classOf.get(delta);
    if (klass === undefined) {
      klass = deltas.length;
      classOf.set(delta, klass);
      deltas.push(delta);
      members.push([]);
    }
    (members[klass] as number[]).push(index);
  });
  if (deltas.length > classesMax) return undefined;
  const classCount = deltas.length;
  for (const list of members) list.sort((a, b) => (order.indeterminateRank[a] as number) - (order.indeterminateRank[b] as number) || a - b);
  const memberRanks = members.map((list) => Int32Array.from(list, (index) => order.indeterminateRank[index] as number));

  const count = determinate.length;
  const deltaOf = new Float64Array(count);
  const readValue = new Float64Array(count);
  const isRead = new Uint8Array(count);
  determinate.forEach((operation, index) => {
    const delta = view.delta(operation.input);
    if (delta === undefined) {
      isRead[index] = 1;
      readValue[index] = view.read(operation.input, operation.output) as number;
    } else deltaOf[index] = delta;
  });
  const initial = model.init() as number;
  // With no negative delta the sum never decreases, so a configuration where some read still to
  // be placed has a value below the sum already reached is dead (checked through the pending
  // read of smallest value, found by walking reads in value order past the placed ones).
  const monotone = deltas.every((delta) => delta >= 0) && determinate.every((_, index) => isRead[index] === 1 || (deltaOf[index] as number) >= 0);
  const readsByValue = determinate.map((_, index) => index).filter((index) => isRead[index] === 1).sort((a, b) => (readValue[a] as number) - (readValue[b] as number));

  const placed = new Uint8Array(count);
  const words = new Uint32Array(Math.ceil(count / 32));
  const memo = new Set<string>();
  let memoCharacters = 0;
  let configurations = 0;
  // The current path: determinate operations, and for each the frontier after it.
  const path: number[] = [];
  const pathFrontier: Int32Array[] = [];
  let best: { operations: number[]; frontiers: Int32Array[] } = { operations: [], frontiers: [] };

  /** Indeterminate adds of each class invoked before entry rank `bound`. */
  const available = (bound: number): Int32Array => {
    const counts = new Int32Array(classCount);
    for (let klass = 0; klass < classCount; klass++) {
      const ranks = memberRanks[klass] as Int32Array;
      let low = 0;
      let high = ranks.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((ranks[middle] as number) <= bound) low = middle + 1;
        else high = middle;
      }
      counts[klass] = low;
    }
    return counts;
  };

  /** Every w ≥ some u in F, w ≤ avail, with Σ w·δ = target; flat, sorted, without repeats. */
  const advance = (frontier: Int32Array, avail: Int32Array, target: number): Int32Array => {
    const found = new Set<string>();
    const results: number[][] = [];
    const w = new Array<number>(classCount).fill(0);
    const room = new Array<number>(classCount).fill(0);
    for (let offset = 0; offset < frontier.length; offset += classCount) {
      let rest = target;
      for (let klass = 0; klass < classCount; klass++) {
        const u = frontier[offset + klass] as number;
        w[klass] = u;
        room[klass] = (avail[klass] as number) - u;
        rest -= u * (deltas[klass] as number);
      }
      // Suffix bounds of what the remaining classes can still add.
      const low = new Array<number>(classCount + 1).fill(0);
      const high = new Array<number>(classCount + 1).fill(0);
      for (let klass = classCount - 1; klass >= 0; klass--) {
        const span = (room[klass] as number) * (deltas[klass] as number);
        low[klass] = (low[klass + 1] as number) + Math.min(0, span);
        high[klass] = (high[klass + 1] as number) + Math.max(0, span);
      }
      const extend = (klass: number, remaining: number): void => {
        if (remaining < (low[klass] as number) || remaining > (high[klass] as number)) return;
        if (klass === classCount) {
          const key = w.join(',');
          if (found.has(key)) return;
          found.add(key);
          results.push([...w]);
          if (results.length > frontierMax) throw new GiveUp();
          return;
        }
        const base = w[klass] as number;
        const delta = deltas[klass] as number;
        for (let extra = 0; extra <= (room[klass] as number); extra++) {
          w[klass] = base + extra;
          extend(klass + 1, remaining - extra * delta);
        }
        w[klass] = base;
      };
      extend(0, rest);
    }
    results.sort(compareVectors);
    const flat = new Int32Array(results.length * classCount);
    results.forEach((vector, index) => flat.set(vector, index * classCount));
    return flat;
  };

  /** The least info contribution of any vector in F (vectors are sums of non-negative deltas here). */
  const leastContribution = (frontier: Int32Array): number => {
    let least = Infinity;
    for (let offset = 0; offset < frontier.length; offset += classCount) {
      let total = 0;
      for (let klass = 0; klass < classCount; klass++) total += (frontier[offset + klass] as number) * (deltas[klass] as number);
      if (total < least) least = total;
    }
    return classCount === 0 ? 0 : least;
  };

  const sorted = order.sorted;
  const explore = (start: number, sum: number, frontier: Int32Array): boolean => {
    if (path.length === count) return true;
    if (monotone) {
      let smallest = 0;
      while (smallest < readsByValue.length && placed[readsByValue[smallest] as number] === 1) smallest++;
      if (smallest < readsByValue.length && (readValue[readsByValue[smallest] as number] as number) - initial < sum + leastContribution(frontier)) return false;
    }
    if (path.length > best.operations.length) best = { operations: [...path], frontiers: [...pathFrontier] };
    // Skip entries of placed operations; the first pending return bounds the candidates.
    let first = start;
    while (placed[(sorted[first] as number) >>> 1] === 1) first++;
    const candidates: number[] = [];
    let bound = -1;
    for (let position = first; position < sorted.length; position++) {
      const entry = sorted[position] as number;
      if (placed[entry >>> 1] === 1) continue;
      if ((entry & 1) === 1) {
        bound = position;
        break;
      }
      candidates.push(entry >>> 1);
    }
    assert(bound >= 0, 'a pending operation has its return entry after its call');
    // Reads first (they leave the sum alone), then adds by earliest return.
    candidates.sort((a, b) => (isRead[b] as number) - (isRead[a] as number) || (order.rank[2 * a + 1] as number) - (order.rank[2 * b + 1] as number));
    let avail: Int32Array | undefined;
    for (const candidate of candidates) {
      let next = frontier;
      let nextSum = sum;
      if (isRead[candidate] === 1) {
        avail ??= available(bound);
        next = advance(frontier, avail, (readValue[candidate] as number) - initial - sum);
        if (next.length === 0) continue;
      } else nextSum = sum + (deltaOf[candidate] as number);
      placed[candidate] = 1;
      words[candidate >>> 5] = (words[candidate >>> 5] as number) | (1 << (candidate & 31));
      const key = `${words.join(',')}|${next.join(',')}`;
      const seen = memo.has(key);
      if (!seen) {
        memo.add(key);
        memoCharacters += key.length;
        if (++configurations > configurationsMax || memoCharacters > memoCharactersMax) throw new GiveUp();
        path.push(candidate);
        pathFrontier.push(next);
        if (explore(first, nextSum, next)) return true;
        path.pop();
        pathFrontier.pop();
      }
      placed[candidate] = 0;
      words[candidate >>> 5] = (words[candidate >>> 5] as number) & ~(1 << (candidate & 31));
    }
    return false;
  };

  if (monotone && deltas.every((delta) => delta > 0) && determinate.every((_, index) => isRead[index] === 1 || (deltaOf[index] as number) > 0)) {
    const witness = witnessByLevels({ determinate, indeterminate, order, isRead, deltaOf, readValue, initial, members, deltas });
    if (witness.order !== undefined) {
      const checked = checkCandidate(model, operations, witness.order);
      if (!checked.valid) fail(`the counter levels built an order that is not a linearization: ${checked.valid ? '' : checked.reason}`);
      return { kind: 'linearizable', order: witness.order, configurations: witness.choices };
    }
  }

  let found: boolean;
  try {
    found = explore(0, 0, new Int32Array(classCount));
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
  if (found) {
    const linearization = orderWithAdds(path, pathFrontier);
    const checked = checkCandidate(model, operations, linearization);
    if (!checked.valid) fail(`the counter path built an order that is not a linearization: ${checked.valid ? '' : checked.reason}`);
    return { kind: 'linearizable', order: linearization, configurations };
  }
  const prefix = orderWithAdds(best.operations, best.frontiers);
  const checked = checkCandidate(model, operations, prefix);
  // A prefix of a linearization misses operations, so only its legality is asserted here.
  assert(checked.valid || checked.prefix.length === prefix.length, `the counter path's prefix is not a linearizable prefix`);
  return {
    configurations,
    kind: 'violation',
    cause:
      `No order of the ${determinate.length} completed operations gives every read its value, whichever of the ${indeterminate.length} indeterminate adds take effect ` +
      `(each only after its invocation): decided without search, by the sums the adds can reach.`,
    culprits: [],
    prefix,
  };

  /**
   * The linearization of a path: its determinate operations, each read preceded by the
   * indeterminate adds it counts that no earlier read counted (in call order within a delta).
   * Walks back from the last read, choosing a vector below the one chosen after it.
   */
  function orderWithAdds(operationsOnPath: readonly number[], frontiers: readonly Int32Array[]): number[] {
    const chosen: (Int32Array | undefined)[] = new Array(operationsOnPath.length).fill(undefined);
    let above: Int32Array | undefined;
    for (let step = operationsOnPath.length - 1; step >= 0; step--) {
      if (isRead[operationsOnPath[step] as number] !== 1) continue;
      const frontier = frontiers[step] as Int32Array;
      let pick: Int32Array | undefined;
      for (let offset = 0; offset < frontier.length && pick === undefined; offset += classCount) {
        const vector = frontier.subarray(offset, offset + classCount);
        if (above === undefined || vector.every((value, klass) => value <= (above as Int32Array)[klass]!)) pick = vector;
      }
      assert(pick !== undefined, 'every vector of a frontier lies above one of the frontier before it');
      chosen[step] = pick;
      above = pick;
    }
    const ids: number[] = [];
    const taken = new Int32Array(classCount);
    operationsOnPath.forEach((index, step) => {
      const vector = chosen[step];
      if (vector !== undefined) {
        for (let klass = 0; klass < classCount; klass++) {
          for (; (taken[klass] as number) < (vector[klass] as number); taken[klass]!++) {
            ids.push((indeterminate[(members[klass] as number[])[taken[klass] as number] as number] as Operation).id);
          }
        }
      }
      ids.push((determinate[index] as Operation).id);
    });
    return ids;
  }
}

function compareVectors(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return (a[index] as number) - (b[index] as number);
  return 0;
}

interface LevelInputs {
  readonly determinate: readonly Operation[];
  readonly indeterminate: readonly Operation[];
  readonly order: ReturnType<typeof entryOrder>;
  readonly isRead: Uint8Array;
  readonly deltaOf: Float64Array;
  readonly readValue: Float64Array;
  readonly initial: number;
  /** Indeterminate adds by delta class, each in call order. */
  readonly members: readonly (readonly number[])[];
  readonly deltas: readonly number[];
}

/** Choices tried by the level search before it gives up (the configuration search then decides). */
const levelChoicesMax = 50_000;
/** Nested calls of the level search (two per add considered, one per class and gap) before it gives up: the stack is finite. */
const levelDepthMax = 5_000;

/**
 * A quick way to a witness when every delta is positive: the sum only grows, so reads take
 * effect in the order of their values, all reads of one value together (a block), and the adds
 * between block g-1 and block g (gap g) must add up to exactly the difference of their values.
 * Real time bounds each add's gap (after the blocks of reads that returned before it was
 * invoked, before the blocks of reads invoked after it returned) and orders adds among
 * themselves (one that returned before another was invoked is in the same gap or an earlier
 * one). The search goes gap by gap, choosing only sets of adds of the exact sum, and keeps the
 * states that failed. Only a found order is used, and it is checked by the certificate
 * checker, so this needs no completeness argument: when it finds nothing (or gives up), the
 * configuration search above decides.
 */
function witnessByLevels(inputs: LevelInputs): { readonly order: number[] | undefined; readonly choices: number } {
  const { determinate, indeterminate, order, isRead, deltaOf, readValue, initial, members, deltas } = inputs;
  const count = determinate.length;
  const callRank = (index: number): number => order.rank[2 * index] as number;
  const returnRank = (index: number): number => order.rank[2 * index + 1] as number;
  const values = [...new Set(determinate.map((_, index) => index).filter((index) => isRead[index] === 1).map((index) => (readValue[index] as number) - initial))].sort((a, b) => a - b);
  const none = { order: undefined, choices: 0 };
  if (values.length === 0 || (values[0] as number) < 0) return none;
  const blockOf = new Map(values.map((value, block) => [value, block]));
  const blocks = values.length;
  const reads: number[] = [];
  const adds: number[] = [];
  for (let index = 0; index < count; index++) (isRead[index] === 1 ? reads : adds).push(index);
  const block = new Int32Array(count).fill(-1);
  for (const read of reads) block[read] = blockOf.get((readValue[read] as number) - initial) as number;
  // Reads in real-time order must have non-decreasing values.
  for (const first of reads) for (const second of reads) if (returnRank(first) < callRank(second) && (block[first] as number) > (block[second] as number)) return none;
  // Gap bounds of each completed add, and of each indeterminate add (no upper bound).
  const low = new Int32Array(count);
  const high = new Int32Array(count).fill(blocks);
  for (const add of adds) {
    for (const read of reads) {
      if (returnRank(read) < callRank(add)) low[add] = Math.max(low[add] as number, (block[read] as number) + 1);
      if (returnRank(add) < callRank(read)) high[add] = Math.min(high[add] as number, block[read] as number);
    }
    if ((low[add] as number) > (high[add] as number)) return none;
  }
  const infoLow = new Int32Array(indeterminate.length);
  for (let info = 0; info < indeterminate.length; info++) {
    for (const read of reads) if (returnRank(read) < (order.indeterminateRank[info] as number)) infoLow[info] = Math.max(infoLow[info] as number, (block[read] as number) + 1);
  }
  // Completed adds that must come before each add (completed or indeterminate).
  const addsByReturn = [...adds].sort((a, b) => returnRank(a) - returnRank(b));
  const before = new Map<number, number[]>(adds.map((add) => [add, adds.filter((other) => returnRank(other) < callRank(add))]));
  const infoBefore = indeterminate.map((_, info) => adds.filter((add) => returnRank(add) < (order.indeterminateRank[info] as number)));

  const classCount = deltas.length;
  const assigned = new Int32Array(count).fill(-1); // the gap of each completed add, -1 while open
  const taken = new Int32Array(classCount);
  const takenAt: number[][] = []; // per gap: how many of each class it took (cumulative counts after it)
  const failed = new Set<string>();
  let choices = 0;

  // The assigned adds as a bitset, kept beside `assigned`, so that a state's key is short.
  const assignedWords = new Uint32Array(Math.ceil(count / 32));
  const assign = (add: number, gap: number): void => {
    assigned[add] = gap;
    assignedWords[add >>> 5] = (assignedWords[add >>> 5] as number) ^ (1 << (add & 31));
  };
  const stateKey = (gap: number): string => `${gap}|${assignedWords.join(',')}|${taken.join(',')}`;

  let depth = 0;
  const solveGap = (gap: number): boolean => {
    if (gap === blocks) {
      // What is left goes after the last block: every open add must allow it.
      return adds.every((add) => (assigned[add] as number) >= 0 || (high[add] as number) === blocks);
    }
    const key = stateKey(gap);
    if (failed.has(key)) return false;
    depth += classCount + 1;
    try {
      return solveGapAt(gap, key);
    } finally {
      depth -= classCount + 1;
    }
  };
  const solveGapAt = (gap: number, key: string): boolean => {
    for (const add of adds) if ((assigned[add] as number) < 0 && (high[add] as number) < gap) return false;
    const target = (values[gap] as number) - (gap === 0 ? 0 : (values[gap - 1] as number));
    const eligible = addsByReturn.filter((add) => (assigned[add] as number) < 0 && (low[add] as number) <= gap);
    const pickAdds = (position: number, remaining: number): boolean => {
      depth += 2;
      if (++choices > levelChoicesMax || depth > levelDepthMax) throw new GiveUp();
      try {
        return pickAddsAt(position, remaining);
      } finally {
        depth -= 2;
      }
    };
    const pickAddsAt = (position: number, remaining: number): boolean => {
      if (remaining < 0) return false;
      if (position === eligible.length) return pickInfo(0, remaining);
      const add = eligible[position] as number;
      const ready = (before.get(add) as number[]).every((other) => (assigned[other] as number) >= 0);
      if (ready && (deltaOf[add] as number) <= remaining) {
        assign(add, gap);
        if (pickAdds(position + 1, remaining - (deltaOf[add] as number))) return true;
        assign(add, -1);
      }
      if ((high[add] as number) === gap) return false; // it must be in this gap
      return pickAdds(position + 1, remaining);
    };
    const pickInfo = (klass: number, remaining: number): boolean => {
      if (klass === classCount) {
        if (remaining !== 0) return false;
        takenAt[gap] = Array.from(taken);
        return solveGap(gap + 1);
      }
      const list = members[klass] as readonly number[];
      const start = taken[klass] as number;
      const delta = deltas[klass] as number;
      let available = start;
      while (available < list.length) {
        const info = list[available] as number;
        if ((infoLow[info] as number) > gap || !(infoBefore[info] as number[]).every((other) => (assigned[other] as number) >= 0)) break;
        available++;
      }
      for (let extra = 0; start + extra <= available && extra * delta <= remaining; extra++) {
        taken[klass] = start + extra;
        if (pickInfo(klass + 1, remaining - extra * delta)) return true;
      }
      taken[klass] = start;
      return false;
    };
    if (pickAdds(0, target)) return true;
    failed.add(key);
    return false;
  };

  try {
    if (!solveGap(0)) return { order: undefined, choices };
  } catch (error) {
    if (error instanceof GiveUp) return { order: undefined, choices };
    throw error;
  }
  // The order: gap 0, block 0, gap 1, block 1, ..., then what is left after the last block.
  const ids: number[] = [];
  let previousTaken = new Array<number>(classCount).fill(0);
  for (let gap = 0; gap <= blocks; gap++) {
    const entries: { key: number; id: number }[] = [];
    for (const add of adds) {
      const inGap = gap === blocks ? (assigned[add] as number) < 0 || assigned[add] === gap : assigned[add] === gap;
      if (inGap) entries.push({ key: returnRank(add), id: (determinate[add] as Operation).id });
    }
    if (gap < blocks) {
      const now = takenAt[gap] as number[];
      for (let klass = 0; klass < classCount; klass++) {
        for (let member = previousTaken[klass] as number; member < (now[klass] as number); member++) {
          const info = (members[klass] as readonly number[])[member] as number;
          entries.push({ key: order.indeterminateRank[info] as number, id: (indeterminate[info] as Operation).id });
        }
      }
      previousTaken = now;
    }
    entries.sort((a, b) => a.key - b.key);
    for (const entry of entries) ids.push(entry.id);
    if (gap < blocks) {
      const inBlock = reads.filter((read) => block[read] === gap).sort((a, b) => returnRank(a) - returnRank(b));
      for (const read of inBlock) ids.push((determinate[read] as Operation).id);
    }
  }
  return { order: ids, choices };
}
