import type { RegisterView } from './register-view.js';

/**
 * Lookups over each session's program order that the session and causal checks share: the
 * latest write (of any key, or of one key) at or before a position, and a session's reads of
 * one key. Built once in O(n).
 */
export interface SessionIndex {
  /** View index of the session's latest write at or before a position (-1: none). */
  latestWrite(session: number, position: number): number;
  /** View index of the session's latest write of `key` at or before a position (-1: none). */
  latestKeyWrite(session: number, key: number, position: number): number;
  /** View index of the session's latest read of `key` strictly before a position (-1: none). */
  latestKeyReadBefore(session: number, key: number, position: number): number;
}

const built = new WeakMap<RegisterView, SessionIndex>();

/** The index of a view, built once and shared by the causal and the four session checks. */
export function sessionIndex(view: RegisterView): SessionIndex {
  let index = built.get(view);
  if (index === undefined) built.set(view, (index = buildSessionIndex(view)));
  return index;
}

function buildSessionIndex(view: RegisterView): SessionIndex {
  const latestWriteBySession = view.sessionOperations.map((list) => {
    const latest = new Int32Array(list.length);
    let last = -1;
    list.forEach((op, position) => {
      if (view.isWrite[op] === 1) last = op;
      latest[position] = last;
    });
    return latest;
  });
  const keyWrites = new Map<number, number[]>();
  const keyReads = new Map<number, number[]>();
  const slot = (session: number, key: number): number => session * view.keys.length + key;
  for (let op = 0; op < view.count; op++) {
    const at = slot(view.session[op] as number, view.key[op] as number);
    if (view.isWrite[op] === 1) append(keyWrites, at, op);
    if (view.isRead[op] === 1) append(keyReads, at, op);
  }
  return {
    latestWrite: (session, position) => (position < 0 ? -1 : ((latestWriteBySession[session] as Int32Array)[position] as number)),
    latestKeyWrite: (session, key, position) => latestAtOrBefore(keyWrites.get(slot(session, key)), view.position, position),
    latestKeyReadBefore: (session, key, position) => latestAtOrBefore(keyReads.get(slot(session, key)), view.position, position - 1),
  };
}

function append(map: Map<number, number[]>, at: number, op: number): void {
  const list = map.get(at);
  if (list === undefined) map.set(at, [op]);
  else list.push(op);
}

/** Binary search over operations in program order for the last one at or before `position`. */
function latestAtOrBefore(list: readonly number[] | undefined, positions: Int32Array, position: number): number {
  if (list === undefined || position < 0) return -1;
  let low = 0;
  let high = list.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const op = list[middle] as number;
    if ((positions[op] as number) <= position) {
      found = op;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
