import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import { parseKvOperation } from '../kv/index.js';
import type { FailoverContext } from './declarations.js';
import type { FailoverMessage } from './messages.js';
import { MANAGER, PENDING_OPS_MAX, STORAGE, type FailoverState, type ServerState } from './state.js';
import { millis } from '../../sim/time.js';

type Result = Extract<FailoverMessage, { type: 'result' }>;

export function freshServer(): ServerState {
  return { epoch: 0, primary: null, fenced: false, fenceSentAt: null, pending: new Map(), nextOpId: 1, highestAcked: 0 };
}

export function onHeartbeatTimer(state: FailoverState, context: FailoverContext): void {
  context.send(MANAGER, { type: 'heartbeat', epoch: state.server!.epoch });
}

/**
 * The manager's word on who leads. A server named primary of a newer epoch fences the storage
 * before it serves; a primary that hears of a newer epoch with someone else in charge steps
 * down. Operations it already sent are still answered when their results come back.
 */
export function onView(state: FailoverState, epoch: number, primary: NodeId, context: FailoverContext): void {
  const server = state.server!;
  if (epoch < server.epoch) return;
  if (epoch === server.epoch && server.primary === primary && (primary !== state.id || state.role === 'primary')) return;
  server.epoch = epoch;
  server.primary = primary;
  if (primary === state.id) {
    state.role = 'primary';
    server.fenced = false;
    context.mark('promoted');
    sendFence(state, context);
  } else {
    stepDown(state, context);
  }
}

export function onFenced(state: FailoverState, epoch: number, context: FailoverContext): void {
  const server = state.server!;
  if (state.role !== 'primary') return;
  if (epoch === server.epoch) {
    server.fenced = true;
    server.fenceSentAt = null;
  } else if (epoch > server.epoch) {
    server.epoch = epoch;
    server.primary = null;
    stepDown(state, context);
  }
}

export function onServerRequest(state: FailoverState, request: ClientRequest, context: FailoverContext): void {
  const server = state.server!;
  if (state.role !== 'primary') {
    context.reply(request.requestId, { status: 'redirect', leaderHint: server.primary === state.id ? null : server.primary });
    return;
  }
  if (!server.fenced) {
    // Not applied; a `fail` would read as a failed comparison to the checker. The client asks again.
    context.reply(request.requestId, { status: 'redirect', leaderHint: null });
    return;
  }
  const operation = parseKvOperation(request.operation);
  if (typeof operation === 'string') {
    context.reply(request.requestId, { status: 'fail', error: operation });
    return;
  }
  if (server.pending.size >= PENDING_OPS_MAX) {
    context.reply(request.requestId, { status: 'redirect', leaderHint: null });
    return;
  }
  const id = server.nextOpId++;
  server.pending.set(id, { requestId: request.requestId, sentAt: context.now });
  context.send(STORAGE, { type: 'op', id, epoch: server.epoch, clientId: request.clientId, sequence: request.sequence, operation });
}

export function onResult(state: FailoverState, result: Result, context: FailoverContext): void {
  const server = state.server!;
  const pending = server.pending.get(result.id);
  if (pending === undefined) return; // given up on already (the client was told unknown)
  server.pending.delete(result.id);
  if (result.stale) {
    // Fenced off: the storage refused it, so it certainly did not happen; the client goes elsewhere.
    context.reply(pending.requestId, { status: 'redirect', leaderHint: null });
    if (result.epoch > server.epoch) {
      server.epoch = result.epoch;
      server.primary = null;
    }
    stepDown(state, context);
    return;
  }
  if (result.index > server.highestAcked) server.highestAcked = result.index;
  context.reply(pending.requestId, result.response);
}

/** Resends an unconfirmed fence; answers unknown for operations the storage never answered. */
export function onRetry(state: FailoverState, context: FailoverContext): void {
  const server = state.server!;
  if (state.role === 'primary' && !server.fenced) sendFence(state, context);
  const limit = millis(state.options.opTimeoutMs);
  for (const [id, pending] of server.pending) {
    if (context.now - pending.sentAt < limit) continue;
    server.pending.delete(id);
    context.mark('op-timed-out');
    context.reply(pending.requestId, { status: 'unknown', error: 'the storage did not answer' });
  }
}

function sendFence(state: FailoverState, context: FailoverContext): void {
  state.server!.fenceSentAt = context.now;
  context.send(STORAGE, { type: 'fence', epoch: state.server!.epoch });
}

function stepDown(state: FailoverState, context: FailoverContext): void {
  if (state.role === 'primary') context.mark('stepped-down');
  state.role = 'standby';
  state.server!.fenced = false;
}
