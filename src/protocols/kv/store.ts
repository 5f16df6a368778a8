import type { Json } from '../../history/operation.js';
import type { ClientResponse } from '../../protocol/client-types.js';
import { assert, unreachable } from '../../util/assert.js';
import { applyLockCommand } from './lock-table.js';
import { jsonEquals, type KvOperation } from './operation.js';

/**
 * The replicated key-value state machine every consensus protocol in faultline serves. It is a
 * pure value that protocols mutate only through `applyKvCommand` (in log order), so any two
 * replicas that applied the same commands hold equal stores.
 *
 * Client sessions (Raft dissertation §6.3): for each client, the last sequence number applied and
 * the response it produced. A retried request (same client, same sequence) is applied at most
 * once and answered with the same response, however many times it was appended to the log.
 */
export interface KvStore {
  data: Map<string, Json>;
  sessions: Map<number, KvSession>;
}

export interface KvSession {
  sequence: number;
  response: ClientResponse;
}

/** A client write as the log carries it. */
export type KvCommand = {
  clientId: number;
  sequence: number;
  operation: KvOperation;
};

export function createKvStore(): KvStore {
  return { data: new Map(), sessions: new Map() };
}

/**
 * Applies a command once per (client, sequence). A sequence older than the session's last one
 * is a retry the client has already given up on (a client has one request outstanding): it is
 * not applied, and its outcome is reported as unknown.
 */
export function applyKvCommand(store: KvStore, command: KvCommand): ClientResponse {
  const session = store.sessions.get(command.clientId);
  if (session !== undefined && command.sequence === session.sequence) return session.response;
  if (session !== undefined && command.sequence < session.sequence) {
    return { status: 'unknown', error: `stale sequence ${command.sequence} < ${session.sequence}` };
  }
  const response = executeKvOperation(store, command.operation);
  // Updated in place: nothing else holds a session (snapshots copy its fields), and every replica
  // applies every write.
  if (session === undefined) store.sessions.set(command.clientId, { sequence: command.sequence, response });
  else {
    session.sequence = command.sequence;
    session.response = response;
  }
  return response;
}

/** Runs one operation against the data, ignoring sessions (reads take this path directly). */
export function executeKvOperation(store: KvStore, operation: KvOperation): ClientResponse {
  const current = store.data.get(operation.key);
  switch (operation.f) {
    case 'read':
      return { status: 'ok', value: current === undefined ? null : current };
    case 'write':
      store.data.set(operation.key, operation.value);
      return { status: 'ok', value: operation.value };
    case 'cas':
      return compareAndSet(store, operation.key, current, operation.value);
    case 'append':
      return append(store, operation.key, current, operation.value);
    case 'add':
      return addToCounter(store, operation.key, current, operation.value);
    case 'sadd':
      return addToSet(store, operation.key, current, operation.value);
    case 'enqueue':
    case 'dequeue':
      return queueOperation(store, operation, current);
    case 'acquire':
    case 'release':
      return lockOperation(store, operation, current);
    case 'locks': {
      const { response, table } = applyLockCommand(current, operation.value);
      if (table !== undefined) store.data.set(operation.key, table as unknown as Json);
      return response;
    }
    default:
      return unreachable(operation.f, 'kv operation');
  }
}

function compareAndSet(store: KvStore, key: string, current: Json | undefined, value: Json): ClientResponse {
  assert(Array.isArray(value) && value.length === 2, 'cas value must be [expected, new]');
  const [expected, next] = value as [Json, Json];
  const actual = current === undefined ? null : current;
  if (!jsonEquals(actual, expected)) return { status: 'fail', error: 'cas mismatch' };
  store.data.set(key, next);
  return { status: 'ok', value };
}

function append(store: KvStore, key: string, current: Json | undefined, value: Json): ClientResponse {
  assert(typeof value === 'string', 'append value must be a string');
  const base = current === undefined || current === null ? '' : current;
  // A key written with a non-string value cannot be appended to; deterministic on every replica.
  if (typeof base !== 'string') return { status: 'fail', error: `append to non-string value of ${key}` };
  store.data.set(key, base + value);
  return { status: 'ok', value };
}

// A key holding a value of another type cannot take these operations: they fail the same way on
// every replica, so determinism and agreement are unaffected.

function addToCounter(store: KvStore, key: string, current: Json | undefined, delta: Json): ClientResponse {
  const base = current === undefined || current === null ? 0 : current;
  if (typeof base !== 'number') return { status: 'fail', error: `add to non-number value of ${key}` };
  store.data.set(key, base + (delta as number));
  return { status: 'ok', value: null };
}

function addToSet(store: KvStore, key: string, current: Json | undefined, element: Json): ClientResponse {
  const base = current === undefined || current === null ? [] : current;
  if (!Array.isArray(base)) return { status: 'fail', error: `sadd to non-set value of ${key}` };
  const present = base.some((member) => jsonEquals(member, element));
  // Copy on write: a value already handed out in a reply or snapshot must never change under it.
  if (!present) store.data.set(key, [...base, element]);
  return { status: 'ok', value: null };
}

function queueOperation(store: KvStore, operation: KvOperation, current: Json | undefined): ClientResponse {
  const queue = current === undefined || current === null ? [] : current;
  if (!Array.isArray(queue)) return { status: 'fail', error: `${operation.f} on non-queue value of ${operation.key}` };
  if (operation.f === 'enqueue') {
    store.data.set(operation.key, [...queue, operation.value]);
    return { status: 'ok', value: null };
  }
  if (queue.length === 0) return { status: 'ok', value: null };
  store.data.set(operation.key, queue.slice(1));
  return { status: 'ok', value: queue[0] as Json };
}

/**
 * A lock is stored as {owner, token}; `token` counts acquisitions of this key, so every grant
 * carries a larger fencing token than the one before (a resource can refuse stale holders).
 */
function lockOperation(store: KvStore, operation: KvOperation, current: Json | undefined): ClientResponse {
  const lock = (current ?? { owner: null, token: 0 }) as { owner: Json; token: number };
  if (typeof lock !== 'object' || lock === null || Array.isArray(lock) || typeof lock.token !== 'number') {
    return { status: 'fail', error: `${operation.f} on non-lock value of ${operation.key}` };
  }
  if (operation.f === 'acquire') {
    if (lock.owner !== null) return { status: 'fail', error: 'held' };
    const token = lock.token + 1;
    store.data.set(operation.key, { owner: operation.value, token });
    return { status: 'ok', value: token };
  }
  if (!jsonEquals(lock.owner, operation.value)) return { status: 'fail', error: 'not the holder' };
  store.data.set(operation.key, { owner: null, token: lock.token });
  return { status: 'ok', value: null };
}

/** A JSON image of the store, with keys and sessions sorted so equal stores give equal images. */
export function snapshotKvStore(store: KvStore): Json {
  const data = [...store.data.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sessions = [...store.sessions.entries()].sort(([a], [b]) => a - b);
  return {
    data: data.map(([key, value]) => [key, value]),
    sessions: sessions.map(([clientId, session]) => [clientId, session.sequence, session.response]),
  };
}

/** Rebuilds a store from `snapshotKvStore`'s image; undefined when the image is malformed. */
export function restoreKvStore(image: Json): KvStore | undefined {
  if (typeof image !== 'object' || image === null || Array.isArray(image)) return undefined;
  const { data, sessions } = image;
  if (!Array.isArray(data) || !Array.isArray(sessions)) return undefined;
  const store = createKvStore();
  for (const pair of data) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') return undefined;
    store.data.set(pair[0], pair[1] as Json);
  }
  for (const triple of sessions) {
    if (!Array.isArray(triple) || triple.length !== 3) return undefined;
    const [clientId, sequence, response] = triple;
    if (typeof clientId !== 'number' || typeof sequence !== 'number' || !isResponse(response)) return undefined;
    store.sessions.set(clientId, { sequence, response });
  }
  return store;
}

function isResponse(value: Json | undefined): value is ClientResponse {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.status === 'string';
}
