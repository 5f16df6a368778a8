import type { AnyModel, Operation } from '../../src/check/index.js';
import type { SessionGuarantee } from '../../src/check/consistency/models.js';
import { readsInitial, readsThinAir, type RegisterView } from '../../src/check/consistency/register-view.js';

/**
 * Naive oracles for the consistency models, for histories of at most 8 operations: slow and
 * obviously right. They share only the register view (which write each read returns) with the
 * checker; the clocks, components, latest-write shortcuts and read prefixes are not used.
 */

/** Sequential consistency: every order of all operations that keeps each process's order. */
export function oracleSequential(model: AnyModel, operations: readonly Operation[]): boolean {
  const processes = [...new Set(operations.map((operation) => operation.process))];
  const lists = processes.map((process) => operations.filter((operation) => operation.process === process).sort((a, b) => a.id - b.id));
  const positions = lists.map(() => 0);
  const partition = (operation: Operation): string => {
    const extra = model.partition?.(operation.input);
    return extra === undefined ? operation.key : `${operation.key}/${extra}`;
  };
  const search = (states: ReadonlyMap<string, unknown>): boolean => {
    if (lists.every((list, p) => list.slice(positions[p]).every((operation) => operation.outcome === 'info'))) return true;
    for (let p = 0; p < lists.length; p++) {
      const operation = lists[p]![positions[p]!];
      if (operation === undefined) continue;
      positions[p]!++;
      const result = model.step(states.get(partition(operation)) ?? model.init(), operation.input, operation.output);
      if (result.legal && search(new Map(states).set(partition(operation), result.next))) return (positions[p]!--, true);
      if (operation.outcome === 'info' && search(states)) return (positions[p]!--, true);
      positions[p]!--;
    }
    return false;
  };
  return search(new Map());
}

/** co = (po ∪ rf)+ by Floyd–Warshall: reach[a][b] says a happens before b. */
export function naiveCausalOrder(view: RegisterView): boolean[][] {
  const n = view.count;
  const reach = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const programOrder = view.session[a] === view.session[b] && view.position[a]! < view.position[b]!;
      const readsFrom = view.isRead[b] === 1 && view.readsFrom[b] === a && a !== b;
      if (programOrder || readsFrom) reach[a]![b] = true;
    }
  }
  for (let k = 0; k < n; k++) for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (reach[a]![k] && reach[k]![b]) reach[a]![b] = true;
  return reach;
}

/**
 * Weak causal consistency, by permutations: co is acyclic, no read returns a value nobody wrote,
 * and for every read some order of its causal past that respects co ends with the write it
 * returned as the last write of its key (or with no write of its key, for the initial value).
 */
export function oracleCausal(view: RegisterView): boolean {
  const co = naiveCausalOrder(view);
  const n = view.count;
  for (let a = 0; a < n; a++) if (co[a]![a]) return false;
  for (let r = 0; r < n; r++) {
    if (view.isRead[r] !== 1) continue;
    if (view.readsFrom[r] === readsThinAir) return false;
    const past = [...Array(n).keys()].filter((op) => co[op]![r]);
    if (!somePermutation(past, co, (order) => lastWriteOf(view, order, view.key[r]!) === view.readsFrom[r])) return false;
  }
  return true;
}

function lastWriteOf(view: RegisterView, order: readonly number[], key: number): number {
  let last = readsInitial;
  for (const op of order) if (view.isWrite[op] === 1 && view.key[op] === key) last = op;
  return last;
}

function somePermutation(items: readonly number[], co: boolean[][], test: (order: number[]) => boolean): boolean {
  const order: number[] = [];
  const used = new Set<number>();
  const extend = (): boolean => {
    if (order.length === items.length) return test(order);
    for (const item of items) {
      if (used.has(item)) continue;
      if (items.some((other) => !used.has(other) && other !== item && co[other]![item])) continue;
      used.add(item);
      order.push(item);
      const found = extend();
      order.pop();
      used.delete(item);
      if (found) return true;
    }
    return false;
  };
  return extend();
}

/** The session guarantees, literally: every tuple of operations tried against each definition. */
export function oracleSession(guarantee: SessionGuarantee, view: RegisterView): boolean {
  const co = naiveCausalOrder(view);
  const n = view.count;
  const ops = [...Array(n).keys()];
  const reads = ops.filter((op) => view.isRead[op] === 1 && view.readsFrom[op] !== readsThinAir);
  const writes = ops.filter((op) => view.isWrite[op] === 1);
  const po = (a: number, b: number): boolean => view.session[a] === view.session[b] && view.position[a]! < view.position[b]!;
  const hb = (x: number, y: number): boolean => x >= 0 && co[x]![y]!;
  const stale = (r: number, w1: number): boolean => view.readsFrom[r] === readsInitial || hb(view.readsFrom[r]!, w1);
  switch (guarantee) {
    case 'read-your-writes':
      return !reads.some((r) => writes.some((w1) => po(w1, r) && view.key[w1] === view.key[r] && stale(r, w1)));
    case 'monotonic-reads':
      return !reads.some((r2) => reads.some((r1) => po(r1, r2) && view.key[r1] === view.key[r2] && view.readsFrom[r1]! >= 0 && stale(r2, view.readsFrom[r1]!)));
    case 'monotonic-writes':
      return !reads.some((r) =>
        writes.some((w1) => writes.some((w2) => po(w1, w2) && co[w2]![r] && view.key[w1] === view.key[r] && (stale(r, w1) || (view.readsFrom[r] === w1 && view.key[w2] === view.key[r])))),
      );
    case 'writes-follow-reads':
      return !reads.some((r) =>
        reads.some((r1) => {
          const x1 = view.readsFrom[r1]!;
          if (x1 < 0 || view.key[x1] !== view.key[r]) return false;
          return writes.some((w2) => po(r1, w2) && co[w2]![r] && (stale(r, x1) || (view.readsFrom[r] === x1 && view.key[w2] === view.key[r])));
        }),
      );
    default: {
      const never: never = guarantee;
      return never;
    }
  }
}
