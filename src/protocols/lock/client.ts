import type { Json } from '../../history/operation.js';
import type { ClientRequest, ClientResponse } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { millis } from '../../sim/time.js';
import { assert, fail } from '../../util/assert.js';
import { asLockTable } from '../kv/index.js';
import type { LockContext } from './declarations.js';
import type { AccessKind, LockMessage, TableOperation } from './messages.js';
import type { LockOptions } from './options.js';
import { CLIENT_QUEUE_MAX, RESOURCE, TABLE_KEY, type ClientState, type LockState } from './state.js';

const INCARNATION_KEY = 'incarnation';

/** How often the retry timer looks at what is overdue. */
export function retryTickMs(options: LockOptions): number {
  return Math.max(1, Math.floor(Math.min(options.requestTimeoutMs, options.watchRefreshMs) / 4));
}

/**
 * A lock client: the ZooKeeper lock recipe on a session with a lease. Each incarnation counts
 * itself on disk, so its Raft client id (node × 10^6 + incarnation) is new after a crash and its
 * retries are never mistaken for an earlier incarnation's.
 */
export function initClient(state: LockState, disk: DurableReader, context: LockContext): ClientState {
  const record = disk.read(INCARNATION_KEY);
  if (record.kind === 'corrupt') fail('incarnation record is corrupt');
  const incarnation = (record.kind === 'value' ? (record.value as number) : 0) + 1;
  assert(incarnation < 1_000_000, 'incarnations fit in the client id');
  context.persist(INCARNATION_KEY, incarnation);
  const client: ClientState = {
    clientId: context.id * 1_000_000 + incarnation,
    sequence: 0,
    session: null,
    leaseUntil: 0,
    leaderGuess: state.servers[0]!,
    lastAlive: context.now,
    phase: 'opening',
    queue: [],
    current: null,
    outstanding: null,
    nextRequestId: 1,
    watching: null,
    access: null,
    nextAccessId: 1,
    grants: 0,
  };
  state.client = client;
  sendTable(state, { f: 'locks', key: TABLE_KEY, value: { op: 'open' } }, context);
  context.setTimer('keepalive', millis(state.options.keepaliveMs));
  context.setTimer('retry', millis(retryTickMs(state.options)));
  return client;
}

/** A workload request: `add` runs under the lock of its key, `read` reads the resource directly. */
export function onClientWorkload(state: LockState, request: ClientRequest, context: LockContext): void {
  const client = state.client!;
  const { f, key, value } = request.operation;
  if (typeof key !== 'string' || (f !== 'add' && f !== 'read') || (f === 'add' && !Number.isSafeInteger(value))) {
    context.reply(request.requestId, { status: 'fail', error: `the lock service's clients take add {key, integer} and read {key}, not ${f}` });
    return;
  }
  // A workload client has one operation at a time: a newer request means it gave up on the ones
  // still queued (they never ran, so dropping them changes nothing).
  client.queue = client.queue.filter((queued) => queued.clientId !== request.clientId);
  if (client.queue.length >= CLIENT_QUEUE_MAX) {
    context.reply(request.requestId, { status: 'fail', error: 'lock client queue full' });
    return;
  }
  client.queue.push(request);
  startNext(state, context);
}

function startNext(state: LockState, context: LockContext): void {
  const client = state.client!;
  if (client.phase !== 'idle') return;
  const request = client.queue.shift();
  if (request === undefined) return;
  const lock = request.operation.key as string;
  client.current = { request, lock, delta: request.operation.f === 'add' ? (request.operation.value as number) : 0, seq: null, read: null };
  if (request.operation.f === 'read') {
    client.phase = 'plain-read';
    sendAccess(state, 'read', 0, 0, context);
    return;
  }
  client.phase = 'creating';
  sendTable(state, { f: 'locks', key: TABLE_KEY, value: { op: 'create', session: client.session!, lock } }, context);
}

function sendTable(state: LockState, operation: TableOperation, context: LockContext): void {
  const client = state.client!;
  assert(client.outstanding === null, 'one lock-service request at a time');
  client.sequence++;
  client.outstanding = { id: client.nextRequestId++, operation, sequence: client.sequence, sentAt: context.now };
  resendTable(state, context);
}

function resendTable(state: LockState, context: LockContext): void {
  const client = state.client!;
  const outstanding = client.outstanding!;
  outstanding.sentAt = context.now;
  context.send(client.leaderGuess, { type: 'lock-request', id: outstanding.id, clientId: client.clientId, sequence: outstanding.sequence, operation: outstanding.operation });
}

function nextServer(state: LockState, after: NodeId): NodeId {
  const index = state.servers.indexOf(after);
  return state.servers[(index + 1) % state.servers.length]!;
}

export function onLockReply(state: LockState, from: NodeId, id: number, response: ClientResponse, context: LockContext): void {
  const client = state.client!;
  const outstanding = client.outstanding;
  if (outstanding === null || outstanding.id !== id) return;
  switch (response.status) {
    case 'redirect': {
      const hint = response.leaderHint;
      client.leaderGuess = hint ?? nextServer(state, from);
      if (hint !== null && hint !== from) resendTable(state, context); // otherwise the retry timer resends
      return;
    }
    case 'unknown':
      return; // resent with the same sequence at the next retry: applied at most once
    case 'fail':
      client.outstanding = null;
      onTableFail(state, response.error, context);
      return;
    case 'ok':
      client.outstanding = null;
      client.leaderGuess = from;
      onTableOk(state, response.value, context);
      return;
  }
}

function onTableOk(state: LockState, value: Json, context: LockContext): void {
  const client = state.client!;
  switch (client.phase) {
    case 'opening': {
      client.session = (value as { session: number }).session;
      client.leaseUntil = context.now + millis(state.options.leaseMs);
      client.lastAlive = context.now;
      context.mark('session-opened');
      client.phase = 'idle';
      startNext(state, context);
      return;
    }
    case 'creating': {
      const { token, predecessor } = value as { token: number; predecessor: number | null };
      client.current!.seq = token;
      if (predecessor === null) granted(state, 'granted-at-once', context);
      else watch(state, predecessor, context);
      return;
    }
    case 'checking': {
      const current = client.current!;
      const entries = asLockTable(value)?.locks[current.lock]?.entries ?? [];
      const mine = entries.findIndex(([seq]) => seq === current.seq);
      if (mine === -1) sessionLost(state, context); // our entry is gone: the session expired
      else if (mine === 0) granted(state, 'granted-after-wait', context);
      else watch(state, entries[mine - 1]![0], context);
      return;
    }
    case 'releasing':
      afterOperation(state, context);
      return;
    default:
      fail(`lock client ${state.id} got a table answer while ${client.phase}`);
  }
}

function onTableFail(state: LockState, error: string, context: LockContext): void {
  const client = state.client!;
  if (error === 'session expired') {
    sessionLost(state, context);
    return;
  }
  if (client.phase === 'opening') return; // e.g. too many sessions: the retry timer asks again
  if (client.phase === 'releasing') {
    afterOperation(state, context);
    return;
  }
  // The entry was never created (a bound of the table): nothing was written.
  finish(state, { status: 'fail', error }, context);
  afterOperation(state, context);
}

/** The recipe: watch only the entry just before ours, so one release wakes one waiter. */
function watch(state: LockState, predecessor: number, context: LockContext): void {
  const client = state.client!;
  client.phase = 'waiting';
  client.watching = { lock: client.current!.lock, seq: predecessor, sentAt: context.now };
  context.send(client.leaderGuess, { type: 'watch', lock: client.current!.lock, seq: predecessor });
}

export function onWatchFired(state: LockState, lock: string, seq: number, context: LockContext): void {
  const client = state.client!;
  if (client.phase !== 'waiting' || client.watching === null || client.watching.lock !== lock || client.watching.seq !== seq) return;
  checkTable(state, context);
}

/** Reads the table through Raft (linearizable) to see whether our entry is now the lowest. */
function checkTable(state: LockState, context: LockContext): void {
  const client = state.client!;
  client.phase = 'checking';
  client.watching = null;
  sendTable(state, { f: 'read', key: TABLE_KEY, value: null }, context);
}

function granted(state: LockState, how: 'granted-at-once' | 'granted-after-wait', context: LockContext): void {
  const client = state.client!;
  client.watching = null;
  client.grants++;
  context.mark(how);
  client.phase = 'locked-read';
  sendAccess(state, 'locked-read', client.current!.seq!, 0, context);
}

function sendAccess(state: LockState, kind: AccessKind, token: number, value: number, context: LockContext): void {
  const client = state.client!;
  client.access = { id: client.nextAccessId++, kind, sentAt: context.now };
  context.send(RESOURCE, { type: 'access', id: client.access.id, key: client.current!.lock, kind, token, value });
}

export function onAccessResult(state: LockState, message: Extract<LockMessage, { type: 'access-result' }>, context: LockContext): void {
  const client = state.client!;
  if (client.access === null || client.access.id !== message.id) return;
  client.access = null;
  const current = client.current!;
  switch (client.phase) {
    case 'plain-read':
      finish(state, message.ok ? { status: 'ok', value: message.value } : { status: 'fail', error: 'refused' }, context);
      afterOperation(state, context);
      return;
    case 'locked-read':
      if (!message.ok) {
        finish(state, { status: 'fail', error: `fenced off: the resource has seen token ${message.highest}` }, context);
        release(state, context);
        return;
      }
      current.read = message.value;
      // The lease check. Between it and the write lies the work: a pause here outlives the lease.
      if (context.now < client.leaseUntil) {
        context.mark('lease-checked');
        client.phase = 'working';
        context.setTimer('work', millis(state.options.workMs));
      } else {
        context.mark('lease-expired-before-work');
        finish(state, { status: 'fail', error: 'lease expired before the write' }, context);
        release(state, context);
      }
      return;
    case 'writing':
      finish(state, message.ok ? { status: 'ok', value: null } : { status: 'fail', error: `fenced off: the resource has seen token ${message.highest}` }, context);
      release(state, context);
      return;
    default:
      fail(`lock client ${state.id} got an access result while ${client.phase}`);
  }
}

/** The work is done: the write goes out with the grant's token, whatever happened to the lease meanwhile. */
export function onWork(state: LockState, context: LockContext): void {
  const client = state.client!;
  if (client.phase !== 'working') return;
  const current = client.current!;
  client.phase = 'writing';
  sendAccess(state, 'write', current.seq!, current.read! + current.delta, context);
}

function finish(state: LockState, response: ClientResponse, context: LockContext): void {
  context.reply(state.client!.current!.request.requestId, response);
}

function release(state: LockState, context: LockContext): void {
  const client = state.client!;
  const current = client.current!;
  if (client.session === null || current.seq === null) {
    afterOperation(state, context);
    return;
  }
  client.phase = 'releasing';
  sendTable(state, { f: 'locks', key: TABLE_KEY, value: { op: 'delete', session: client.session, lock: current.lock, seq: current.seq } }, context);
}

function afterOperation(state: LockState, context: LockContext): void {
  const client = state.client!;
  client.current = null;
  client.watching = null;
  if (client.session === null) {
    client.phase = 'opening';
    if (client.outstanding === null) sendTable(state, { f: 'locks', key: TABLE_KEY, value: { op: 'open' } }, context);
    return;
  }
  client.phase = 'idle';
  startNext(state, context);
}

/**
 * The session expired (the leader said so, or our entry vanished). An operation not yet granted,
 * or granted and not yet written, wrote nothing: it fails. One whose write is in flight or whose
 * work has begun goes on: the client cannot take back a lease check it already passed.
 */
function sessionLost(state: LockState, context: LockContext): void {
  const client = state.client!;
  context.mark('session-lost');
  client.session = null;
  client.leaseUntil = 0;
  client.outstanding = null;
  switch (client.phase) {
    case 'creating':
    case 'waiting':
    case 'checking':
      finish(state, { status: 'fail', error: 'session expired before the lock was granted' }, context);
      afterOperation(state, context);
      return;
    case 'releasing':
    case 'idle':
    case 'opening':
      afterOperation(state, context);
      return;
    default:
      return; // locked-read, working, writing, plain-read: finish first, then reopen
  }
}

export function onKeepaliveTimer(state: LockState, context: LockContext): void {
  const client = state.client!;
  if (client.session === null) return;
  if (context.now - client.lastAlive > 2 * millis(state.options.keepaliveMs)) {
    client.leaderGuess = nextServer(state, client.leaderGuess);
    client.lastAlive = context.now;
  }
  context.send(client.leaderGuess, { type: 'keepalive', session: client.session, sentAt: context.now });
}

export function onKeepaliveReply(state: LockState, from: NodeId, message: Extract<LockMessage, { type: 'keepalive-reply' }>, context: LockContext): void {
  const client = state.client!;
  if (client.session === null || message.session !== client.session) return;
  if (message.status === 'alive') {
    // The leader heard from us no earlier than we sent: it expires us no sooner than sentAt + sessionTimeoutMs.
    client.leaseUntil = Math.max(client.leaseUntil, message.sentAt + millis(state.options.leaseMs));
    client.lastAlive = context.now;
    client.leaderGuess = from;
  } else if (message.status === 'not-leader') {
    if (from === client.leaderGuess) client.leaderGuess = message.leaderHint ?? nextServer(state, from);
  } else {
    sessionLost(state, context);
  }
}

/** Resends what is overdue: a lock-service request, a watch (by reading the table again), a resource access. */
export function onRetryTimer(state: LockState, context: LockContext): void {
  const client = state.client!;
  const timeout = millis(state.options.requestTimeoutMs);
  if (client.outstanding !== null && context.now - client.outstanding.sentAt >= timeout) {
    client.leaderGuess = nextServer(state, client.leaderGuess);
    resendTable(state, context);
  }
  if (client.phase === 'opening' && client.outstanding === null) sendTable(state, { f: 'locks', key: TABLE_KEY, value: { op: 'open' } }, context);
  if (client.phase === 'waiting' && client.watching !== null && context.now - client.watching.sentAt >= millis(state.options.watchRefreshMs)) checkTable(state, context);
  if (client.access !== null && context.now - client.access.sentAt >= timeout) accessTimedOut(state, context);
}

function accessTimedOut(state: LockState, context: LockContext): void {
  const client = state.client!;
  const kind = client.access!.kind;
  client.access = null;
  context.mark('access-timed-out');
  if (kind === 'read') {
    finish(state, { status: 'unknown', error: 'the resource did not answer' }, context);
    afterOperation(state, context);
    return;
  }
  // A locked read that got no answer wrote nothing; a write that got none may have happened.
  finish(state, kind === 'write' ? { status: 'unknown', error: 'the resource did not answer the write' } : { status: 'fail', error: 'the resource did not answer' }, context);
  release(state, context);
}

