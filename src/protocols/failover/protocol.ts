import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader, Protocol } from '../../protocol/protocol.js';
import { millis } from '../../sim/time.js';
import { fail, unreachable } from '../../util/assert.js';
import { FAILOVER_MARKS, FAILOVER_MESSAGES, FAILOVER_TIMERS, type FailoverContext, type FailoverMark, type FailoverTimer } from './declarations.js';
import { failoverMeter, failoverObservers } from './invariants.js';
import { onCheck, onHeartbeat, recoverManager } from './manager.js';
import { renderFailoverMessage, type FailoverMessage } from './messages.js';
import { FAILOVER_OPTIONS, type FailoverOptions } from './options.js';
import { freshServer, onFenced, onHeartbeatTimer, onResult, onRetry, onServerRequest, onView } from './server.js';
import { MANAGER, STORAGE, type FailoverState } from './state.js';
import { onFence, onOp, recoverStorage } from './storage.js';

/**
 * Heartbeat failure detection and failover: n0 is the storage, n1 the failover manager, n2… the
 * servers. Every server heartbeats the manager; the manager runs a fixed-timeout or φ-accrual
 * detector on the primary's heartbeats and, on a suspicion, promotes the standby it heard from
 * last with a new epoch (persisted first). The new primary fences the storage with its epoch
 * before serving; the storage refuses operations of older epochs. Clients' key-value operations
 * go through the primary to the storage, which keeps client sessions (retries apply once).
 */
export const failoverProtocol: Protocol<FailoverState, FailoverMessage, FailoverOptions, FailoverTimer, FailoverMark> = {
  name: 'failover',
  description: 'heartbeat failure detection (fixed or phi-accrual) with failover by epoch and a fencing storage node',
  options: FAILOVER_OPTIONS,
  messages: FAILOVER_MESSAGES,
  timers: FAILOVER_TIMERS,
  marks: FAILOVER_MARKS,
  deduplicatesRetries: true,
  init,
  onMessage,
  onTimer,
  onClientRequest,
  isLeader: (state) => state.role === 'primary',
  renderMessage: renderFailoverMessage,
  summarizeState: (state) => {
    if (state.storage !== null) return { role: 'storage', epoch: state.storage.epoch, leader: state.storage.epochHolder, commit: state.storage.writes, detail: `${state.storage.store.data.size} keys` };
    if (state.manager !== null) return { role: 'manager', epoch: state.manager.epoch, leader: state.manager.primary, commit: 0, detail: `${state.manager.suspicions} suspicions` };
    const server = state.server!;
    return { role: state.role, epoch: server.epoch, leader: server.primary, commit: server.highestAcked, detail: state.role === 'primary' ? `${server.fenced ? 'fenced' : 'fencing'}, ${server.pending.size} in flight` : undefined };
  },
  observers: () => failoverObservers(),
  meter: () => failoverMeter(),
};

function init(context: FailoverContext, disk: DurableReader, options: FailoverOptions): FailoverState {
  if (context.nodes.length < 4) fail('failover needs a storage node, a manager and at least two servers (4 nodes)');
  const state: FailoverState = { options, id: context.id, role: 'standby', storage: null, manager: null, server: null };
  if (context.id === STORAGE) {
    state.role = 'storage';
    state.storage = recoverStorage(disk);
  } else if (context.id === MANAGER) {
    state.role = 'manager';
    state.manager = recoverManager(state, disk, context);
    context.setTimer('check', millis(options.checkMs));
  } else {
    state.server = freshServer();
    onHeartbeatTimer(state, context);
    context.setTimer('heartbeat', millis(options.heartbeatMs));
    context.setTimer('retry', millis(options.heartbeatMs));
  }
  return state;
}

function onMessage(state: FailoverState, from: NodeId, message: FailoverMessage, context: FailoverContext): void {
  switch (message.type) {
    case 'heartbeat':
      if (state.manager !== null) onHeartbeat(state, from, context);
      return;
    case 'view':
      if (state.server !== null && from === MANAGER) onView(state, message.epoch, message.primary, context);
      return;
    case 'fence':
      if (state.storage !== null) onFence(state, from, message.epoch, context);
      return;
    case 'fenced':
      if (state.server !== null) onFenced(state, message.epoch, context);
      return;
    case 'op':
      if (state.storage !== null) onOp(state, from, message, context);
      return;
    case 'result':
      if (state.server !== null) onResult(state, message, context);
      return;
    default:
      unreachable(message, 'failover message');
  }
}

function onTimer(state: FailoverState, name: FailoverTimer, context: FailoverContext): void {
  switch (name) {
    case 'heartbeat':
      onHeartbeatTimer(state, context);
      context.setTimer('heartbeat', millis(state.options.heartbeatMs));
      return;
    case 'check':
      onCheck(state, context);
      context.setTimer('check', millis(state.options.checkMs));
      return;
    case 'retry':
      onRetry(state, context);
      context.setTimer('retry', millis(state.options.heartbeatMs));
      return;
    default:
      unreachable(name, 'failover timer');
  }
}

function onClientRequest(state: FailoverState, request: ClientRequest, context: FailoverContext): void {
  if (state.server !== null) return onServerRequest(state, request, context);
  const hint = state.storage !== null ? state.storage.epochHolder : state.manager!.primary;
  context.reply(request.requestId, { status: 'redirect', leaderHint: hint });
}
