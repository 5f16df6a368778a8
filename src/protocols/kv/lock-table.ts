import type { Json } from '../../history/operation.js';
import type { ClientResponse } from '../../protocol/client-types.js';

/**
 * A ZooKeeper-style lock table, one JSON value under one key of the key-value store, changed only
 * by `locks` commands in log order (so every replica of a replicated store holds the same table):
 * client sessions, and per lock a queue of sequential ephemeral entries. The entry with the
 * lowest sequence number holds the lock; its sequence number is the fencing token. Deleting a
 * session (it expired) deletes its entries, so the next waiter's predecessor disappears.
 *
 *   {op: 'open'}                        → ok {session}: a new session
 *   {op: 'create', session, lock}       → ok {token, predecessor}: a new entry, last in the queue
 *                                          (predecessor: the sequence number before it, or null)
 *   {op: 'delete', session, lock, seq}  → ok: the entry is gone (it may have been already)
 *   {op: 'expire', session}             → ok: the session and every entry of it are gone
 * `create` and `delete` on a session that is not open fail with `session expired`.
 */
export interface LockTable {
  nextSession: number;
  /** Open sessions, ascending. */
  sessions: number[];
  locks: Record<string, LockQueue>;
}

export interface LockQueue {
  /** The last sequence number issued for this lock (sequence numbers never repeat). */
  next: number;
  /** [sequence, session] in ascending sequence order. */
  entries: [number, number][];
}

export type LockCommand =
  | { op: 'open' }
  | { op: 'create'; session: number; lock: string }
  | { op: 'delete'; session: number; lock: string; seq: number }
  | { op: 'expire'; session: number };

/** Sessions and entries a table holds at most: a command that would exceed them fails. */
export const LOCK_SESSIONS_MAX = 1024;
export const LOCK_ENTRIES_MAX = 1024;

export function emptyLockTable(): LockTable {
  return { nextSession: 0, sessions: [], locks: {} };
}

/** Reads a table from the store's value (absent: empty); undefined when it is not a table. */
export function asLockTable(value: Json | undefined): LockTable | undefined {
  if (value === undefined || value === null) return emptyLockTable();
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const table = value as unknown as LockTable;
  if (typeof table.nextSession !== 'number' || !Array.isArray(table.sessions) || typeof table.locks !== 'object' || table.locks === null) return undefined;
  return table;
}

/**
 * Applies one command to a table, copy on write (a value handed out in a reply or a snapshot
 * never changes under its holder). Returns the response and the new table (unchanged on fail).
 */
export function applyLockCommand(current: Json | undefined, command: Json): { response: ClientResponse; table: LockTable | undefined } {
  const table = asLockTable(current);
  if (table === undefined) return { response: { status: 'fail', error: 'locks on a value that is not a lock table' }, table: undefined };
  const parsed = parseCommand(command);
  if (typeof parsed === 'string') return { response: { status: 'fail', error: parsed }, table: undefined };
  switch (parsed.op) {
    case 'open': {
      if (table.sessions.length >= LOCK_SESSIONS_MAX) return { response: { status: 'fail', error: 'too many sessions' }, table: undefined };
      const session = table.nextSession + 1;
      return { response: { status: 'ok', value: { session } }, table: { ...table, nextSession: session, sessions: [...table.sessions, session] } };
    }
    case 'create': {
      if (!table.sessions.includes(parsed.session)) return { response: { status: 'fail', error: 'session expired' }, table: undefined };
      const queue = table.locks[parsed.lock] ?? { next: 0, entries: [] };
      if (queue.entries.length >= LOCK_ENTRIES_MAX) return { response: { status: 'fail', error: 'too many entries' }, table: undefined };
      const seq = queue.next + 1;
      const last = queue.entries[queue.entries.length - 1];
      const predecessor = last === undefined ? null : last[0];
      const next: LockQueue = { next: seq, entries: [...queue.entries, [seq, parsed.session]] };
      return { response: { status: 'ok', value: { token: seq, predecessor } }, table: { ...table, locks: { ...table.locks, [parsed.lock]: next } } };
    }
    case 'delete': {
      if (!table.sessions.includes(parsed.session)) return { response: { status: 'fail', error: 'session expired' }, table: undefined };
      const queue = table.locks[parsed.lock];
      if (queue === undefined || !queue.entries.some(([seq, session]) => seq === parsed.seq && session === parsed.session)) return { response: { status: 'ok', value: null }, table: undefined };
      const next: LockQueue = { next: queue.next, entries: queue.entries.filter(([seq]) => seq !== parsed.seq) };
      return { response: { status: 'ok', value: null }, table: { ...table, locks: { ...table.locks, [parsed.lock]: next } } };
    }
    case 'expire': {
      if (!table.sessions.includes(parsed.session)) return { response: { status: 'ok', value: null }, table: undefined };
      const locks: Record<string, LockQueue> = {};
      for (const [name, queue] of Object.entries(table.locks)) locks[name] = { next: queue.next, entries: queue.entries.filter(([, session]) => session !== parsed.session) };
      return { response: { status: 'ok', value: null }, table: { ...table, sessions: table.sessions.filter((session) => session !== parsed.session), locks } };
    }
  }
}

function parseCommand(command: Json): LockCommand | string {
  if (typeof command !== 'object' || command === null || Array.isArray(command)) return 'locks needs a command object';
  const { op, session, lock, seq } = command as Record<string, Json>;
  if (op === 'open') return { op };
  if (typeof session !== 'number') return `locks ${String(op)} needs a session number`;
  if (op === 'expire') return { op, session };
  if (typeof lock !== 'string') return `locks ${String(op)} needs a lock name`;
  if (op === 'create') return { op, session, lock };
  if (op === 'delete' && typeof seq === 'number') return { op, session, lock, seq };
  return `unknown locks command ${JSON.stringify(command)}`;
}
