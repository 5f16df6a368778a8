import { happensBefore, type CausalOrder } from './causal-order.js';
import { holds, violated, type CheckAnswer, type SessionGuarantee } from './models.js';
import { readsInitial, type RegisterView } from './register-view.js';
import { sessionIndex, type SessionIndex } from './session-index.js';
import { unreachable } from '../../util/assert.js';

/** "#7 p1 read → 2": how explanations name a view operation. */
export type DescribeView = (op: number) => string;

/**
 * The four session guarantees of Terry et al. (PDIS 1994) on histories with unique written
 * values. Each is a pattern anchored in one session; "x is overwritten by w" means x happens
 * before w in the causal order co (docs/consistency.md has the definitions and why each is
 * implied by causal consistency). A read of a value nobody wrote breaks causality, not these.
 *
 * - read-your-writes: a read after the session's write w of its key returns neither the initial
 *   value nor a value overwritten by w.
 * - monotonic reads: a read after the session's read r1 of its key (which returned x1) returns
 *   neither the initial value nor a value overwritten by x1.
 * - monotonic writes: if the session wrote w1 then w2, a read that w2 happens before, of w1's
 *   key, returns neither the initial value nor a value overwritten by w1 (nor w1 itself, when w2
 *   wrote the same key).
 * - writes follow reads: if the session read x1 and then wrote w2, a read that w2 happens
 *   before, of x1's key, returns neither the initial value nor a value overwritten by x1 (nor x1
 *   itself, when w2 wrote the same key).
 *
 * Each check is O(n · s) for n operations and s writing sessions, after the O(n · s) clocks.
 */
export function checkSessionGuarantee(guarantee: SessionGuarantee, order: CausalOrder, describe: DescribeView): CheckAnswer {
  const context = { order, view: order.view, index: sessionIndex(order.view), describe };
  switch (guarantee) {
    case 'read-your-writes':
      return readYourWrites(context);
    case 'monotonic-reads':
      return monotonicReads(context, readPrefixes(order));
    case 'monotonic-writes':
      return monotonicWrites(context);
    case 'writes-follow-reads':
      return writesFollowReads(context, readPrefixes(order));
    default:
      return unreachable(guarantee, 'session guarantee');
  }
}

interface Context {
  readonly order: CausalOrder;
  readonly view: RegisterView;
  readonly index: SessionIndex;
  readonly describe: DescribeView;
}

function readYourWrites({ order, view, index, describe }: Context): CheckAnswer {
  for (let r = 0; r < view.count; r++) {
    if (view.isRead[r] !== 1) continue;
    const x = view.readsFrom[r] as number;
    if (x < readsInitial) continue;
    const w1 = index.latestKeyWrite(view.session[r] as number, view.key[r] as number, (view.position[r] as number) - 1);
    if (w1 < 0) continue;
    if (x === readsInitial) return violated(ids(view, [w1, r]), `${describe(r)} returns the initial value although ${describe(w1)} came before it in the same session.`);
    if (happensBefore(order, x, w1)) {
      return violated(ids(view, [w1, r, x]), `${describe(r)} returns the value of ${describe(x)}, which ${describe(w1)} overwrote (it happens before it), and ${describe(w1)} came before the read in the same session.`);
    }
  }
  return holds;
}

/**
 * For every read r of session s and key k, the join of the clocks of the writes that s's reads
 * of k up to r returned (so "x is overwritten by one of them" is one lookup), and whether any of
 * them returned a write at all.
 */
interface ReadPrefixes {
  readonly joined: Int32Array;
  readonly sawWrite: Uint8Array;
}

const prefixesBuilt = new WeakMap<CausalOrder, ReadPrefixes>();

/** Built once per order: monotonic reads and writes-follow-reads share it. */
function readPrefixes(order: CausalOrder): ReadPrefixes {
  let prefixes = prefixesBuilt.get(order);
  if (prefixes === undefined) prefixesBuilt.set(order, (prefixes = buildReadPrefixes(order)));
  return prefixes;
}

function buildReadPrefixes(order: CausalOrder): ReadPrefixes {
  const { view, width, past } = order;
  const joined = new Int32Array(view.count * width).fill(-1);
  const sawWrite = new Uint8Array(view.count);
  const previous = new Map<number, number>(); // session * keys + key -> last read
  for (let r = 0; r < view.count; r++) {
    if (view.isRead[r] !== 1) continue;
    const slot = (view.session[r] as number) * view.keys.length + (view.key[r] as number);
    const before = previous.get(slot);
    if (before !== undefined) {
      joined.copyWithin(r * width, before * width, before * width + width);
      sawWrite[r] = sawWrite[before] as number;
    }
    const x = view.readsFrom[r] as number;
    if (x >= 0) {
      sawWrite[r] = 1;
      for (let d = 0; d < width; d++) {
        const value = past[x * width + d] as number;
        if (value > (joined[r * width + d] as number)) joined[r * width + d] = value;
      }
    }
    previous.set(slot, r);
  }
  return { joined, sawWrite };
}

/** Does write x happen before one of the writes the reads summed up in `row` returned? */
function overwrittenByPrefix(order: CausalOrder, prefixes: ReadPrefixes, row: number, x: number): boolean {
  const column = order.column[order.view.session[x] as number] as number;
  return (prefixes.joined[row * order.width + column] as number) >= (order.view.position[x] as number);
}

function monotonicReads({ order, view, index, describe }: Context, prefixes: ReadPrefixes): CheckAnswer {
  for (let r2 = 0; r2 < view.count; r2++) {
    if (view.isRead[r2] !== 1) continue;
    const x2 = view.readsFrom[r2] as number;
    if (x2 < readsInitial) continue;
    const r1 = index.latestKeyReadBefore(view.session[r2] as number, view.key[r2] as number, view.position[r2] as number);
    if (r1 < 0) continue;
    const broken = x2 === readsInitial ? prefixes.sawWrite[r1] === 1 : overwrittenByPrefix(order, prefixes, r1, x2);
    if (!broken) continue;
    const witness = earlierRead(view, index, r2, view.position[r2] as number, (x1) => x2 === readsInitial || happensBefore(order, x2, x1));
    if (witness < 0) continue;
    const x1 = view.readsFrom[witness] as number;
    const what = x2 === readsInitial ? 'the initial value' : `the value of ${describe(x2)}, which ${describe(x1)} overwrote (it happens before it)`;
    return violated(ids(view, x2 === readsInitial ? [witness, r2, x1] : [witness, r2, x1, x2]), `${describe(r2)} returns ${what}, after ${describe(witness)} in the same session had returned the value of ${describe(x1)}.`);
  }
  return holds;
}

/** The latest read of r's key by r's session before `position` whose write satisfies `test`. */
function earlierRead(view: RegisterView, index: SessionIndex, r: number, position: number, test: (x1: number) => boolean): number {
  const session = view.session[r] as number;
  const key = view.key[r] as number;
  for (let at = index.latestKeyReadBefore(session, key, position); at >= 0; at = index.latestKeyReadBefore(session, key, view.position[at] as number)) {
    const x1 = view.readsFrom[at] as number;
    if (x1 >= 0 && test(x1)) return at;
  }
  return -1;
}

/** For each writing session s, the latest write w2 of s that happens before r (or -1). */
function latestWriteBefore(order: CausalOrder, index: SessionIndex, session: number, r: number): number {
  const column = order.column[session] as number;
  if (column < 0) return -1;
  return index.latestWrite(session, order.past[r * order.width + column] as number);
}

function monotonicWrites({ order, view, index, describe }: Context): CheckAnswer {
  for (let r = 0; r < view.count; r++) {
    if (view.isRead[r] !== 1) continue;
    const x = view.readsFrom[r] as number;
    if (x < readsInitial) continue;
    const key = view.key[r] as number;
    for (let s = 0; s < view.processCount; s++) {
      const w2 = latestWriteBefore(order, index, s, r);
      if (w2 < 0) continue;
      const w1 = index.latestKeyWrite(s, key, (view.position[w2] as number) - 1);
      if (w1 >= 0 && (x === readsInitial || happensBefore(order, x, w1))) {
        const what = x === readsInitial ? 'the initial value' : `the value of ${describe(x)}, which ${describe(w1)} overwrote`;
        return violated(ids(view, x === readsInitial ? [w1, w2, r] : [w1, w2, r, x]), `${describe(r)} returns ${what}, although ${describe(w2)} happens before the read and was written after ${describe(w1)} in the same session.`);
      }
      if (x >= 0 && view.session[x] === s) {
        const newer = index.latestKeyWrite(s, key, order.past[r * order.width + (order.column[s] as number)] as number);
        if (newer >= 0 && (view.position[newer] as number) > (view.position[x] as number)) {
          return violated(ids(view, [x, newer, r]), `${describe(r)} returns the value of ${describe(x)}, although ${describe(newer)}, written after it in the same session, happens before the read.`);
        }
      }
    }
  }
  return holds;
}

function writesFollowReads({ order, view, index, describe }: Context, prefixes: ReadPrefixes): CheckAnswer {
  const firstRead = firstReadPositions(view);
  for (let r = 0; r < view.count; r++) {
    if (view.isRead[r] !== 1) continue;
    const x = view.readsFrom[r] as number;
    if (x < readsInitial) continue;
    const key = view.key[r] as number;
    for (let s = 0; s < view.processCount; s++) {
      const w2 = latestWriteBefore(order, index, s, r);
      if (w2 < 0) continue;
      const r1 = index.latestKeyReadBefore(s, key, view.position[w2] as number);
      if (r1 >= 0 && (x === readsInitial ? prefixes.sawWrite[r1] === 1 : overwrittenByPrefix(order, prefixes, r1, x))) {
        const witness = earlierRead(view, index, r1, (view.position[r1] as number) + 1, (x1) => x === readsInitial || happensBefore(order, x, x1));
        if (witness >= 0) {
          const x1 = view.readsFrom[witness] as number;
          const what = x === readsInitial ? 'the initial value' : `the value of ${describe(x)}, which ${describe(x1)} overwrote`;
          return violated(ids(view, [witness, w2, r, x1]), `${describe(r)} returns ${what}, although ${describe(w2)} happens before the read and was written after ${describe(witness)} read ${describe(x1)} in the same session.`);
        }
      }
      if (x >= 0) {
        const w2k = index.latestKeyWrite(s, key, order.past[r * order.width + (order.column[s] as number)] as number);
        const readAt = firstRead.get(x * view.processCount + s);
        if (w2k >= 0 && readAt !== undefined && readAt < (view.position[w2k] as number)) {
          const r1 = (view.sessionOperations[s] as Int32Array)[readAt] as number;
          return violated(ids(view, [r1, w2k, r]), `${describe(r)} returns the value of ${describe(x)}, although ${describe(w2k)}, written to the same key after ${describe(r1)} read that value in the same session, happens before the read.`);
        }
      }
    }
  }
  return holds;
}

/** For write x and session s (as x * sessions + s): the position of s's first read of x. */
function firstReadPositions(view: RegisterView): Map<number, number> {
  const first = new Map<number, number>();
  for (let r = 0; r < view.count; r++) {
    const x = view.readsFrom[r] as number;
    if (view.isRead[r] !== 1 || x < 0) continue;
    const slot = x * view.processCount + (view.session[r] as number);
    if (!first.has(slot)) first.set(slot, view.position[r] as number);
  }
  return first;
}

function ids(view: RegisterView, ops: readonly number[]): number[] {
  return ops.map((op) => view.ids[op] as number);
}
