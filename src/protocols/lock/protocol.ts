import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader, Protocol } from '../../protocol/protocol.js';
import { millis } from '../../sim/time.js';
import { fail, unreachable } from '../../util/assert.js';
import type { RaftTimer } from '../raft/index.js';
import { initClient, onAccessResult, onClientWorkload, onKeepaliveReply, onKeepaliveTimer, onLockReply, onRetryTimer, onWatchFired, onWork, retryTickMs } from './client.js';
import { LOCK_MARKS, LOCK_MESSAGES, LOCK_TIMERS, type LockContext, type LockMark, type LockTimer } from './declarations.js';
import { lockObservers } from './invariants.js';
import { isRaftMessage, renderLockMessage, type LockMessage } from './messages.js';
import { LOCK_OPTIONS, type LockOptions } from './options.js';
import { onAccess, recoverResource } from './resource.js';
import { appliedTable, initServer, onExpireCheck, onKeepalive, onLockRequest, onServerRaftMessage, onServerRaftTimer, onWatch } from './server.js';
import { clientNodes, RESOURCE, serverNodes, type LockState } from './state.js';

/**
 * A lock service with leases and fencing tokens (Chubby; the ZooKeeper lock recipe), built on
 * the project's Raft: n0 is the resource the lock guards, n1..n{servers} are Raft nodes whose
 * state machine is a lock table (sessions, sequential ephemeral entries per lock), the rest are
 * lock clients. A lock client serves the workload's counter: an `add` takes the lock of its key
 * (an entry; it watches only its predecessor), reads the resource, checks its lease, works, and
 * writes the sum with its fencing token (the entry's sequence number); the resource refuses
 * tokens older than it has seen. A session the leader stops hearing from expires, and its
 * entries go with it.
 */
export const lockProtocol: Protocol<LockState, LockMessage, LockOptions, LockTimer, LockMark> = {
  name: 'lock',
  description: 'lock service on Raft: sessions with leases, sequential ephemeral entries, fencing tokens checked by a resource node',
  options: LOCK_OPTIONS,
  messages: LOCK_MESSAGES,
  timers: LOCK_TIMERS,
  marks: LOCK_MARKS,
  workloads: ['counter'],
  // A retried add could run twice under two grants: retries end as info.
  deduplicatesRetries: false,
  init,
  onMessage,
  onTimer,
  onClientRequest,
  isLeader: (state) => state.server !== null && state.server.raft.role === 'leader',
  clientPause: { mark: 'lease-checked', clients: (nodes, options) => clientNodes(nodes, options as LockOptions), doc: 'between its lease check and its write' },
  renderMessage: renderLockMessage,
  summarizeState: (state) => {
    if (state.resource !== null) {
      const tokens = [...state.resource.highest].map(([key, token]) => `${key}@${token}`).join(' ');
      return { role: 'resource', epoch: Math.max(0, ...state.resource.highest.values()), leader: state.resource.lastAccess?.from ?? null, commit: state.resource.accepted, detail: tokens };
    }
    if (state.server !== null) {
      const raft = state.server.raft;
      const table = appliedTable(state.server);
      return { role: raft.role, epoch: raft.currentTerm, leader: raft.leaderId, commit: raft.commitIndex, detail: `${table.sessions.length} sessions, ${Object.values(table.locks).reduce((sum, queue) => sum + queue.entries.length, 0)} entries` };
    }
    const client = state.client!;
    return { role: client.phase, epoch: client.current?.seq ?? 0, leader: client.leaderGuess, commit: client.grants, detail: client.session === null ? 'no session' : `session s${client.session}` };
  },
  observers: (options) => lockObservers(options),
};

function init(context: LockContext, disk: DurableReader, options: LockOptions): LockState {
  const servers = serverNodes(options);
  const clients = clientNodes(context.nodes, options);
  if (clients.length === 0) fail(`the lock service needs a resource, ${options.servers} servers and at least one lock client (${options.servers + 2} nodes)`);
  const state: LockState = { options, id: context.id, role: 'client', servers, clients, resource: null, server: null, client: null };
  if (context.id === RESOURCE) {
    state.role = 'resource';
    state.resource = recoverResource(disk);
  } else if (servers.includes(context.id)) {
    state.role = 'server';
    initServer(state, disk, context);
  } else {
    initClient(state, disk, context);
  }
  return state;
}

function onMessage(state: LockState, from: NodeId, message: LockMessage, context: LockContext): void {
  if (state.server !== null) state.server.raftStepped = false;
  if (isRaftMessage(message)) {
    if (state.server !== null && state.servers.includes(from)) onServerRaftMessage(state, from, message, context);
    return;
  }
  switch (message.type) {
    case 'lock-request':
      if (state.server !== null) onLockRequest(state, from, message, context);
      return;
    case 'lock-reply':
      if (state.client !== null) onLockReply(state, from, message.id, message.response, context);
      return;
    case 'keepalive':
      if (state.server !== null) onKeepalive(state, from, message.session, message.sentAt, context);
      return;
    case 'keepalive-reply':
      if (state.client !== null) onKeepaliveReply(state, from, message, context);
      return;
    case 'watch':
      if (state.server !== null) onWatch(state, from, message.lock, message.seq, context);
      return;
    case 'watch-fired':
      if (state.client !== null) onWatchFired(state, message.lock, message.seq, context);
      return;
    case 'access':
      if (state.resource !== null) onAccess(state, from, message, context);
      return;
    case 'access-result':
      if (state.client !== null) onAccessResult(state, message, context);
      return;
    default:
      unreachable(message, 'lock message');
  }
}

function onTimer(state: LockState, name: LockTimer, context: LockContext): void {
  if (state.server !== null) state.server.raftStepped = false;
  switch (name) {
    case 'election':
    case 'heartbeat':
    case 'check-quorum':
      if (state.server !== null) onServerRaftTimer(state, name as RaftTimer, context);
      return;
    case 'expire-check':
      onExpireCheck(state, context);
      context.setTimer('expire-check', millis(state.options.expiryCheckMs));
      return;
    case 'keepalive':
      onKeepaliveTimer(state, context);
      context.setTimer('keepalive', millis(state.options.keepaliveMs));
      return;
    case 'retry':
      onRetryTimer(state, context);
      context.setTimer('retry', millis(retryTickMs(state.options)));
      return;
    case 'work':
      onWork(state, context);
      return;
    default:
      unreachable(name, 'lock timer');
  }
}

/** Workload requests are served by lock clients; the others send them to one (by client id). */
function onClientRequest(state: LockState, request: ClientRequest, context: LockContext): void {
  if (state.server !== null) state.server.raftStepped = false;
  if (state.client !== null) return onClientWorkload(state, request, context);
  context.reply(request.requestId, { status: 'redirect', leaderHint: state.clients[request.clientId % state.clients.length]! });
}
