import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import { parseKvOperation, type KvOperation } from '../kv/operation.js';
import { executeKvOperation, type KvCommand } from '../kv/store.js';
import { propose } from './broadcast.js';
import type { ZabContext } from './declarations.js';
import type { Forward } from './messages.js';
import { isServing, type ZabState } from './state.js';

/**
 * Clients, as ZooKeeper serves them: a client talks to one server. Writes are forwarded to the
 * leader, and the server that received a write answers once it has applied the txn itself, so
 * the client's next read there sees it. Reads:
 * - `readMode: local`: answered from this server's state at once, if the client's previous
 *   request was answered here too (its view cannot be ahead of ours). A client new to this
 *   server, or back from elsewhere, first has its read ordered through the leader, like
 *   ZooKeeper's session re-establishment refusing a server behind the client's last zxid. Local
 *   reads are sequentially consistent, not linearizable: a follower may lag the leader.
 * - `readMode: sync`: every read is ordered through the leader (as `sync` + read), so reads are
 *   linearizable.
 */
export function handleClientRequest(state: ZabState, context: ZabContext, request: ClientRequest): void {
  if (state.health === 'quarantined' || !isServing(state)) {
    context.reply(request.requestId, { status: 'redirect', leaderHint: null });
    return;
  }
  const operation = parseKvOperation(request.operation);
  if (typeof operation === 'string') {
    context.reply(request.requestId, { status: 'fail', error: operation });
    return;
  }
  if (operation.f === 'read' && state.options.readMode === 'local' && (state.answered.get(request.clientId) ?? 0) === request.sequence - 1) {
    context.mark('read-local');
    context.reply(request.requestId, executeKvOperation(state.kv, operation));
    state.answered.set(request.clientId, request.sequence);
    return;
  }
  if (answerFromSession(state, context, request)) return;
  if (state.pending.size >= state.options.maxPendingRequests && !state.pending.has(request.clientId)) {
    context.reply(request.requestId, { status: 'fail', error: 'server overloaded' });
    return;
  }
  if (operation.f === 'read') context.mark('read-ordered');
  order(state, context, request, operation);
}

/** A retry of a request already applied here is answered with the recorded response. */
function answerFromSession(state: ZabState, context: ZabContext, request: ClientRequest): boolean {
  const session = state.kv.sessions.get(request.clientId);
  if (session === undefined || request.sequence > session.sequence) return false;
  if (request.sequence === session.sequence) {
    context.reply(request.requestId, session.response);
    state.answered.set(request.clientId, request.sequence);
  } else {
    context.reply(request.requestId, { status: 'unknown', error: `stale sequence ${request.sequence} < ${session.sequence}` });
  }
  return true;
}

/** Through the leader: the request waits here until its txn is applied here. */
function order(state: ZabState, context: ZabContext, request: ClientRequest, operation: KvOperation): void {
  state.pending.set(request.clientId, { sequence: request.sequence, requestId: request.requestId });
  const command: KvCommand = { clientId: request.clientId, sequence: request.sequence, operation };
  if (state.role === 'leading') {
    if (!isInFlight(state, request.clientId, request.sequence)) propose(state, context, command);
    return;
  }
  const leader = state.leaderId as NodeId;
  context.send(leader, { type: 'forward', epoch: state.followingEpoch, clientId: request.clientId, sequence: request.sequence, operation });
}

/** Leader: a follower's forwarded request, proposed unless it is already applied or in flight. */
export function handleForward(state: ZabState, context: ZabContext, from: NodeId, message: Forward): void {
  const leader = state.leader;
  if (state.role !== 'leading' || leader === null || !leader.established || message.epoch !== leader.epoch) return;
  const operation = parseKvOperation(message.operation);
  if (typeof operation === 'string') return;
  const session = state.kv.sessions.get(message.clientId);
  if (session !== undefined && message.sequence <= session.sequence) return;
  if (isInFlight(state, message.clientId, message.sequence)) return;
  propose(state, context, { clientId: message.clientId, sequence: message.sequence, operation });
}

/** Whether the leader's log already holds this request uncommitted (a forwarded retry). */
function isInFlight(state: ZabState, clientId: number, sequence: number): boolean {
  const txns = state.history.txns;
  for (let i = txns.length - 1; i >= 0; i--) {
    const txn = txns[i]!;
    if (txn.zxid <= state.commitZxid) return false;
    if (txn.command.clientId === clientId && txn.command.sequence === sequence) return true;
  }
  return false;
}
