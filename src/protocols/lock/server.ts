import type { Json } from '../../history/operation.js';
import type { ClientResponse } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { asLockTable, type LockTable } from '../kv/index.js';
import { DEFAULT_RAFT_OPTIONS, type RaftContext, type RaftMessage, type RaftTimer } from '../raft/index.js';
import { initRaft, onRaftClientRequest, onRaftMessage, onRaftTimer } from '../raft/node.js';
import { hasCommittedInCurrentTerm } from '../raft/state.js';
import { millis } from '../../sim/time.js';
import type { LockContext } from './declarations.js';
import type { LockMessage, TableOperation } from './messages.js';
import { RELAYED_MAX, TABLE_KEY, WATCHES_MAX, type LockState, type ServerState } from './state.js';

/** Client ids of the servers' own expiry proposals: above every lock client's (node × 1e6 + incarnation). */
const SERVER_CLIENT_BASE = 1_000_000_000;

/**
 * The context Raft runs in: the host's, with the cluster narrowed to the lock servers and Raft's
 * replies to client requests turned into `lock-reply` messages to the lock client that asked.
 */
function raftContext(state: LockState, context: LockContext): RaftContext {
  return {
    id: context.id,
    nodes: state.servers,
    get now() {
      return context.now;
    },
    random: context.random,
    send: (to, message) => context.send(to, message),
    setTimer: (name, delay) => context.setTimer(name, delay),
    cancelTimer: (name) => context.cancelTimer(name),
    persist: (key, value) => context.persist(key, value),
    mark: (name) => context.mark(name),
    reply: (requestId, response) => onRaftReply(state, requestId, response, context),
  };
}

export function initServer(state: LockState, disk: DurableReader, context: LockContext): ServerState {
  const server: ServerState = { raft: undefined as never, relayed: new Map(), nextRelayId: 1, lastKeepalive: new Map(), leaderTerm: 0, expiring: new Set(), expirySequence: 0, watches: [], raftStepped: true };
  state.server = server;
  server.raft = initRaft(raftContext(state, context), disk, DEFAULT_RAFT_OPTIONS);
  context.setTimer('expire-check', millis(state.options.expiryCheckMs));
  return server;
}

export function onServerRaftMessage(state: LockState, from: NodeId, message: RaftMessage, context: LockContext): void {
  const server = state.server!;
  server.raftStepped = true;
  onRaftMessage(server.raft, from, message, raftContext(state, context));
  afterRaftStep(state, context);
}

export function onServerRaftTimer(state: LockState, name: RaftTimer, context: LockContext): void {
  state.server!.raftStepped = true;
  onRaftTimer(state.server!.raft, name, raftContext(state, context));
  afterRaftStep(state, context);
}

/** The lock table as this server has applied it. */
export function appliedTable(server: ServerState): LockTable {
  return asLockTable(server.raft.kv.data.get(TABLE_KEY) as Json | undefined) ?? { nextSession: 0, sessions: [], locks: {} };
}

/** A lock client's command goes to Raft as a client request; the answer comes back through `onRaftReply`. */
export function onLockRequest(state: LockState, from: NodeId, message: Extract<LockMessage, { type: 'lock-request' }>, context: LockContext): void {
  propose(state, { client: from, id: message.id, session: null }, message.clientId, message.sequence, message.operation, context);
}

function propose(state: LockState, origin: { client: NodeId; id: number; session: number | null }, clientId: number, sequence: number, operation: TableOperation, context: LockContext): void {
  const server = state.server!;
  if (server.relayed.size >= RELAYED_MAX) {
    // The oldest relay is dropped: its client resends after its timeout (a bound, not a hang).
    const oldest = server.relayed.keys().next().value as number;
    server.relayed.delete(oldest);
  }
  const requestId = server.nextRelayId++;
  server.relayed.set(requestId, origin);
  server.raftStepped = true;
  onRaftClientRequest(server.raft, { requestId, clientId, sequence, operation }, raftContext(state, context));
  afterRaftStep(state, context);
}

function onRaftReply(state: LockState, requestId: number, response: ClientResponse, context: LockContext): void {
  const server = state.server!;
  const origin = server.relayed.get(requestId);
  if (origin === undefined) return;
  server.relayed.delete(requestId);
  if (origin.client === state.id) {
    // Our own expiry proposal: whatever the answer, it may be proposed again at the next check.
    if (origin.session !== null) server.expiring.delete(origin.session);
    return;
  }
  context.send(origin.client, { type: 'lock-reply', id: origin.id, response });
}

/**
 * A keepalive renews the session's clock at the leader. Only a leader that has committed an
 * entry of its term answers: before that its table may lack sessions opened under the previous
 * leader, and it must not call them expired.
 */
export function onKeepalive(state: LockState, from: NodeId, session: number, sentAt: number, context: LockContext): void {
  const server = state.server!;
  const raft = server.raft;
  if (raft.role !== 'leader') {
    context.send(from, { type: 'keepalive-reply', session, sentAt, status: 'not-leader', leaderHint: raft.leaderId });
    return;
  }
  if (!hasCommittedInCurrentTerm(raft)) return;
  startSessionClocks(state, context);
  const alive = appliedTable(server).sessions.includes(session);
  if (alive) server.lastKeepalive.set(session, context.now);
  context.send(from, { type: 'keepalive-reply', session, sentAt, status: alive ? 'alive' : 'expired', leaderHint: state.id });
}

export function onWatch(state: LockState, from: NodeId, lock: string, seq: number, context: LockContext): void {
  const server = state.server!;
  if (server.raft.role !== 'leader') return; // the client registers again at the leader it learns of
  if (!server.watches.some((watch) => watch.client === from && watch.lock === lock && watch.seq === seq)) {
    if (server.watches.length >= WATCHES_MAX) server.watches.shift();
    server.watches.push({ lock, seq, client: from });
  }
  fireWatches(state, context);
}

/** A new leader gives every session a full timeout from now: it cannot know when they were last heard. */
function startSessionClocks(state: LockState, context: LockContext): void {
  const server = state.server!;
  if (server.leaderTerm === server.raft.currentTerm) return;
  server.leaderTerm = server.raft.currentTerm;
  server.lastKeepalive.clear();
  server.expiring.clear();
  for (const session of appliedTable(server).sessions) server.lastKeepalive.set(session, context.now);
}

/** The leader proposes the expiry of every session silent for sessionTimeoutMs. */
export function onExpireCheck(state: LockState, context: LockContext): void {
  const server = state.server!;
  const raft = server.raft;
  if (raft.role !== 'leader' || !hasCommittedInCurrentTerm(raft)) return;
  startSessionClocks(state, context);
  const timeout = millis(state.options.sessionTimeoutMs);
  const open = appliedTable(server).sessions;
  for (const session of [...server.lastKeepalive.keys()]) if (!open.includes(session)) server.lastKeepalive.delete(session);
  for (const session of open) {
    const heard = server.lastKeepalive.get(session);
    if (heard === undefined) {
      server.lastKeepalive.set(session, context.now); // opened since this leader started its clocks
      continue;
    }
    if (context.now - heard <= timeout || server.expiring.has(session)) continue;
    server.expiring.add(session);
    context.mark('session-expired');
    // Sequence numbers grow with the term, so a later leader's proposals are never taken for retries.
    const sequence = raft.currentTerm * 1_000_000 + ++server.expirySequence;
    propose(state, { client: state.id, id: 0, session }, SERVER_CLIENT_BASE + state.id, sequence, { f: 'locks', key: TABLE_KEY, value: { op: 'expire', session } }, context);
    return; // one Raft step per lock-service step (Raft's observers read the step's record); the rest at the next check
  }
}

/** After every Raft step: watches on entries that are gone fire; a deposed leader forgets its watches. */
function afterRaftStep(state: LockState, context: LockContext): void {
  const server = state.server!;
  if (server.raft.role !== 'leader') {
    if (server.watches.length > 0) server.watches = [];
    return;
  }
  if (server.watches.length > 0) fireWatches(state, context);
}

function fireWatches(state: LockState, context: LockContext): void {
  const server = state.server!;
  if (!hasCommittedInCurrentTerm(server.raft)) return;
  const table = appliedTable(server);
  server.watches = server.watches.filter((watch) => {
    const queue = table.locks[watch.lock];
    const present = queue !== undefined && queue.entries.some(([seq]) => seq === watch.seq);
    if (present) return true;
    context.mark('watch-fired');
    context.send(watch.client, { type: 'watch-fired', lock: watch.lock, seq: watch.seq });
    return false;
  });
}
