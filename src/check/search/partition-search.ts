import { assert } from '../../util/assert.js';
import type { MemoryBudget, TimeBudget } from '../budget.js';
import type { AnyModel } from '../model.js';
import type { Operation } from '../operation.js';
import type { UnknownReason } from '../result.js';
import { entryOrder } from './entry-order.js';
import { LinearizedSet } from './linearized-set.js';
import { MemoTable } from './memo-table.js';
import type { SearchOutcome } from './search-outcome.js';
import { twinPredecessors } from './twins.js';
import { zobristKeys } from './zobrist.js';

export interface SearchLimits {
  readonly time: TimeBudget;
  /** Shared by the partitions of one check; the memo asks it before every allocation. */
  readonly memory: MemoryBudget;
  /** Pause (outcome `paused`) after this many configurations; Infinity for no limit. */
  readonly configurationLimit: number;
}

const listPhase = 0;
const indeterminatePhase = 1;
/** How many search steps between two reads of the clock. */
const clockInterval = 1024;

/**
 * Wing & Gong / Lowe just-in-time linearization with memoisation, for one partition.
 *
 * Determinate operations sit in a doubly linked list of call and return entries in time order.
 * At each configuration the candidates are the calls before the first return still in the list
 * (plus indeterminate operations invoked before that return); linearizing one removes its two
 * entries ("lifting"), and reaching a return means that operation can no longer go anywhere, so
 * the search backtracks. A configuration (linearized set, state) seen before is not explored
 * again.
 *
 * Indeterminate operations have no return: they may be linearized any time after their call, or
 * never. Exploring every subset at every point is what makes such histories blow up, so the
 * search only visits linearizations in a normal form that every linearizable history has:
 *  1. identical indeterminate operations are linearized in call order (they are interchangeable);
 *  2. an indeterminate operation I taken in state s (to s') is followed by an operation X that
 *     needs it: not one that X "absorbs" (X legal in s and reaching the same state, so I can be
 *     dropped), and not one it commutes with (X legal in s and X;I reaching the same state as
 *     I;X, so I can move later), the latter only when X is determinate or an earlier
 *     indeterminate operation, which keeps the rewriting terminating.
 * Any valid linearization can be rewritten into that form (each rewrite drops an indeterminate
 * operation, lowers the call order of one, or moves one later), so nothing is lost. Because what
 * may follow I depends on I and s, the memo keys such configurations by them too.
 */
export function searchPartition(model: AnyModel, determinate: readonly Operation[], indeterminate: readonly Operation[], limits: SearchLimits): SearchOutcome {
  const setWords = Math.ceil(determinate.length / 32) + Math.ceil(indeterminate.length / 32);
  const memo = new MemoTable(model, limits.memory, 2 + setWords);
  try {
    return search(model, determinate, indeterminate, limits, memo);
  } finally {
    memo.release();
  }
}

function search(model: AnyModel, determinate: readonly Operation[], indeterminate: readonly Operation[], limits: SearchLimits, memo: MemoTable): SearchOutcome {
  const determinateCount = determinate.length;
  const indeterminateCount = indeterminate.length;
  const indeterminateBase = Math.ceil(determinateCount / 32) * 32;
  const operationCount = determinateCount + indeterminateCount;

  // Per-index tables over the unified index space: determinate [0, n), indeterminate from the base.
  const slotCount = indeterminateBase + indeterminateCount;
  const inputs: unknown[] = new Array(slotCount);
  const outputs: unknown[] = new Array(slotCount);
  const ids = new Int32Array(slotCount).fill(-1);
  determinate.forEach((operation, index) => {
    inputs[index] = operation.input;
    outputs[index] = operation.output;
    ids[index] = operation.id;
  });
  indeterminate.forEach((operation, index) => {
    inputs[indeterminateBase + index] = operation.input;
    outputs[indeterminateBase + index] = undefined;
    ids[indeterminateBase + index] = operation.id;
  });
  const twins = twinPredecessors(indeterminate);
  const available = availableIndeterminateList(twins);
  const infoHead = indeterminateCount;

  const order = entryOrder(determinate, indeterminate);
  const head = 2 * determinateCount;
  const tail = head + 1;
  const next = new Int32Array(tail + 1);
  const previous = new Int32Array(tail + 1);
  let last = head;
  for (const entry of order.sorted) {
    next[last] = entry;
    previous[entry] = last;
    last = entry;
  }
  next[last] = tail;
  previous[tail] = last;
  const rank = order.rank;
  const indeterminateRank = order.indeterminateRank;

  const set = new LinearizedSet(determinateCount, indeterminateCount, zobristKeys(slotCount));
  const frameOperation = new Int32Array(operationCount + 1);
  const framePhase = new Int8Array(operationCount + 1);
  const framePosition = new Int32Array(operationCount + 1);
  const frameBound = new Int32Array(operationCount + 1);
  const frameState: unknown[] = new Array(operationCount + 1);
  // The deepest prefix seen, kept incrementally: frames [0, agreed) still equal best[0, agreed),
  // so recording a new deepest prefix copies only what changed (a full copy each time would be
  // quadratic on long partitions).
  const best = new Int32Array(operationCount);
  let bestLength = 0;
  let agreed = 0;

  limits.memory.sample(); // the tables above are in the thread's memory from here on
  let state: unknown = model.init();
  let depth = 0;
  let remaining = determinateCount;
  let phase = listPhase;
  let position = next[head] as number;
  let bound = 0;
  let steps = 0;

  const prefixIds = (frames: Int32Array, length: number): number[] => Array.from(frames.subarray(0, length), (index) => ids[index] as number);
  const stop = (reason: UnknownReason): SearchOutcome => {
    const prefix = depth > bestLength ? prefixIds(frameOperation, depth) : prefixIds(best, bestLength);
    return { kind: 'unknown', reason, prefix, configurations: memo.count };
  };

  for (;;) {
    if (remaining === 0) return { kind: 'linearizable', order: prefixIds(frameOperation, depth), configurations: memo.count };
    if (++steps % clockInterval === 0) {
      if (limits.time.expired()) return stop('time budget');
      limits.memory.sample();
    }

    // The next candidate after the cursor, or -1 when this configuration is exhausted.
    let candidate = -1;
    if (phase === listPhase) {
      const entry = position;
      assert(entry !== tail, 'a pending determinate operation always has its return entry in the list');
      if ((entry & 1) === 0) {
        candidate = entry >>> 1;
        position = next[entry] as number;
      } else {
        phase = indeterminatePhase;
        bound = rank[entry] as number;
        position = available.next[infoHead] as number;
        continue;
      }
    } else {
      // Only available indeterminate operations are listed (not linearized, earlier twin done).
      while (position !== infoHead) {
        const index = position;
        position = available.next[position] as number;
        if ((indeterminateRank[index] as number) > bound) continue;
        candidate = indeterminateBase + index;
        break;
      }
    }

    if (candidate < 0) {
      if (depth === 0) return { kind: 'violation', prefix: prefixIds(best, bestLength), configurations: memo.count };
      if (depth > bestLength) {
        best.set(frameOperation.subarray(agreed, depth), agreed);
        bestLength = depth;
        agreed = depth;
      }
      depth--;
      if (depth < agreed) agreed = depth;
      const undone = frameOperation[depth] as number;
      state = frameState[depth];
      set.remove(undone);
      if (undone < determinateCount) {
        relink(next, previous, 2 * undone + 1);
        relink(next, previous, 2 * undone);
        remaining++;
      } else {
        restoreAvailable(available, undone - indeterminateBase);
      }
      phase = framePhase[depth] as number;
      position = framePosition[depth] as number;
      bound = frameBound[depth] as number;
      frameState[depth] = undefined;
      continue;
    }

    const result = model.step(state, inputs[candidate], outputs[candidate]);
    if (!result.legal) continue;
    // An indeterminate operation that changes nothing here is absorbed by whatever follows it
    // (rule 2 of the normal form), so it is never worth taking.
    if (candidate >= indeterminateBase && model.equal(result.next, state)) continue;
    const afterIndeterminate = depth > 0 && (frameOperation[depth - 1] as number) >= indeterminateBase;
    if (afterIndeterminate && !needsPrevious(model, frameOperation[depth - 1] as number, frameState[depth - 1], candidate, result.next, inputs, outputs, indeterminateBase)) continue;

    set.add(candidate);
    const isIndeterminate = candidate >= indeterminateBase;
    const seen = memo.seenOrAdd(set, result.next, model.hash(result.next), isIndeterminate ? candidate : -1, isIndeterminate ? state : undefined, isIndeterminate ? model.hash(state) : 0);
    if (seen !== 'added') {
      set.remove(candidate);
      if (seen === 'seen') continue;
      return stop('memory budget');
    }
    if (memo.count > limits.configurationLimit) return { kind: 'paused', configurations: memo.count };
    if (!isIndeterminate) {
      unlink(next, previous, 2 * candidate);
      unlink(next, previous, 2 * candidate + 1);
      remaining--;
    } else {
      takeAvailable(available, candidate - indeterminateBase);
    }
    frameOperation[depth] = candidate;
    framePhase[depth] = phase;
    framePosition[depth] = position;
    frameBound[depth] = bound;
    frameState[depth] = state;
    depth++;
    state = result.next;
    phase = listPhase;
    position = next[head] as number;
  }
}

/**
 * The normal-form rule for what may follow an indeterminate operation `previousIndex` taken in
 * `stateBefore`: false when the candidate (reaching `candidateNext` after it) absorbs it or
 * commutes with it.
 */
function needsPrevious(
  model: AnyModel,
  previousIndex: number,
  stateBefore: unknown,
  candidate: number,
  candidateNext: unknown,
  inputs: unknown[],
  outputs: unknown[],
  indeterminateBase: number,
): boolean {
  const withoutPrevious = model.step(stateBefore, inputs[candidate], outputs[candidate]);
  if (!withoutPrevious.legal) return true;
  if (model.equal(withoutPrevious.next, candidateNext)) return false;
  const mayCommute = candidate < indeterminateBase || candidate < previousIndex;
  if (!mayCommute) return true;
  const swapped = model.step(withoutPrevious.next, inputs[previousIndex], undefined);
  assert(swapped.legal, 'an indeterminate operation is legal in every state');
  return !model.equal(swapped.next, candidateNext);
}

/**
 * The indeterminate operations that may be linearized next: not yet linearized and with their
 * earlier twin already linearized. A doubly linked list with the head at index `count`; taking
 * an operation puts its next twin in its place, and undoing restores it (strictly LIFO, as the
 * search is), so each step is O(1) however many operations never take effect.
 */
interface AvailableList {
  readonly next: Int32Array;
  readonly previous: Int32Array;
  /** The next twin of each operation, or -1. */
  readonly successor: Int32Array;
}

function availableIndeterminateList(twins: Int32Array): AvailableList {
  const count = twins.length;
  const next = new Int32Array(count + 1);
  const previous = new Int32Array(count + 1);
  const successor = new Int32Array(count).fill(-1);
  let last = count;
  for (let index = 0; index < count; index++) {
    const twin = twins[index] as number;
    if (twin >= 0) {
      successor[twin] = index;
      continue;
    }
    next[last] = index;
    previous[index] = last;
    last = index;
  }
  next[last] = count;
  previous[count] = last;
  return { next, previous, successor };
}

function takeAvailable(list: AvailableList, index: number): void {
  const before = list.previous[index] as number;
  const after = list.next[index] as number;
  const twin = list.successor[index] as number;
  if (twin < 0) {
    list.next[before] = after;
    list.previous[after] = before;
    return;
  }
  list.next[before] = twin;
  list.previous[after] = twin;
  list.previous[twin] = before;
  list.next[twin] = after;
}

function restoreAvailable(list: AvailableList, index: number): void {
  const before = list.previous[index] as number;
  const after = list.next[index] as number;
  list.next[before] = index;
  list.previous[after] = index;
}

function unlink(next: Int32Array, previous: Int32Array, entry: number): void {
  next[previous[entry] as number] = next[entry] as number;
  previous[next[entry] as number] = previous[entry] as number;
}

function relink(next: Int32Array, previous: Int32Array, entry: number): void {
  next[previous[entry] as number] = entry;
  previous[next[entry] as number] = entry;
}
