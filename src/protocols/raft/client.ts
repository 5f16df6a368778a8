import type { RaftContext } from './declarations.js';
import type { ClientRequest } from '../../protocol/client-types.js';
import { fail } from '../../util/assert.js';
import { parseKvOperation, type KvOperation } from '../kv/operation.js';
import { executeKvOperation } from '../kv/store.js';
import { maybeCommit } from './commit.js';
import type { ForwardedRequest, LogEntry } from './messages.js';
import { handleRead } from './reads.js';
import { appendAsLeader, broadcastAppend } from './replication.js';
import { pendingRequestCount, type RaftState } from './state.js';

type Context = RaftContext;

/**
 * A client request. Only the leader serves: everyone else redirects with its best guess of the
 * leader. Writes go through the log; reads take the ReadIndex (or lease) path.
 */
export function handleClientRequest(state: RaftState, context: Context, request: ClientRequest): void {
  if (state.options.followerReads) {
    handleAtAnyNode(state, context, request);
    return;
  }
  if (state.role !== 'leader') {
    context.reply(request.requestId, { status: 'redirect', leaderHint: state.leaderId });
    return;
  }
  const operation = parseKvOperation(request.operation);
  if (typeof operation === 'string') {
    context.reply(request.requestId, { status: 'fail', error: operation });
    return;
  }
  if (pendingRequestCount(state) >= state.options.maxPendingRequests) {
    // A bound on everything: an overloaded leader refuses rather than queueing without limit.
    context.reply(request.requestId, { status: 'fail', error: 'leader overloaded' });
    return;
  }
  if (operation.f === 'read') handleRead(state, context, request.requestId, operation);
  else propose(state, context, request, operation);
}

/**
 * `followerReads`: every node answers reads from its own applied state, and a follower forwards
 * writes to the leader and answers them when it applies them itself, so a client bound to one
 * node sees its own writes and never goes back in time (ZooKeeper's contract, on Raft).
 */
function handleAtAnyNode(state: RaftState, context: Context, request: ClientRequest): void {
  const operation = parseKvOperation(request.operation);
  if (typeof operation === 'string') {
    context.reply(request.requestId, { status: 'fail', error: operation });
    return;
  }
  if (operation.f === 'read') {
    serveLocalRead(state, context, request.requestId, operation);
    return;
  }
  if (state.role === 'leader') {
    if (pendingRequestCount(state) >= state.options.maxPendingRequests) {
      context.reply(request.requestId, { status: 'fail', error: 'leader overloaded' });
      return;
    }
    propose(state, context, request, operation);
    return;
  }
  if (answerFromSession(state, context, request)) return;
  if (state.leaderId === null) {
    // Not forwarded anywhere, so certainly not applied.
    context.reply(request.requestId, { status: 'fail', error: 'no leader known' });
    return;
  }
  // One operation at a time per client: a newer request replaces an older one's wait.
  state.forwardedWrites.set(request.clientId, { sequence: request.sequence, requestId: request.requestId });
  context.mark('write-forwarded');
  context.send(state.leaderId, { type: 'forward', term: state.currentTerm, clientId: request.clientId, sequence: request.sequence, operation });
}

function serveLocalRead(state: RaftState, context: Context, requestId: number, operation: KvOperation): void {
  if (state.health.kind !== 'healthy' || state.lastApplied < state.localReadFloor) {
    context.mark('read-refused-until-caught-up');
    context.reply(requestId, { status: 'fail', error: `catching up: applied ${state.lastApplied} of ${state.localReadFloor}` });
    return;
  }
  context.mark('read-served-locally');
  context.reply(requestId, executeKvOperation(state.kv, operation));
}

/** The leader appends a write a follower forwarded; the follower answers the client. */
export function handleForwardedWrite(state: RaftState, context: Context, message: ForwardedRequest): void {
  if (state.role !== 'leader') return; // the follower's client times out and tries again
  const session = state.kv.sessions.get(message.clientId);
  if (session !== undefined && message.sequence <= session.sequence) return; // applied: the follower will apply it too
  if (pendingRequestCount(state) >= state.options.maxPendingRequests) return;
  appendClientWrite(state, context, message.clientId, message.sequence, message.operation);
}

/** A retry of a write the state machine already applied is answered from its session. */
function answerFromSession(state: RaftState, context: Context, request: ClientRequest): boolean {
  const session = state.kv.sessions.get(request.clientId);
  if (session === undefined || request.sequence > session.sequence) return false;
  context.mark('retry-answered-from-session');
  const response =
    request.sequence === session.sequence
      ? session.response
      : ({ status: 'unknown', error: `stale sequence ${request.sequence} < ${session.sequence}` } as const);
  context.reply(request.requestId, response);
  return true;
}

/**
 * Appends a client write. A retry of a request the state machine already applied is answered
 * from the session at once; any other retry is appended again and deduplicated when applied.
 */
function propose(state: RaftState, context: Context, request: ClientRequest, operation: KvOperation): void {
  if (answerFromSession(state, context, request)) return;
  const index = state.log.lastIndex + 1;
  if (state.pendingWrites.has(index)) fail(`index ${index} already has a pending write`);
  state.pendingWrites.set(index, request.requestId);
  appendClientWrite(state, context, request.clientId, request.sequence, operation);
}

function appendClientWrite(state: RaftState, context: Context, clientId: number, sequence: number, operation: KvOperation): void {
  const entry: LogEntry = {
    index: state.log.lastIndex + 1,
    term: state.currentTerm,
    command: { kind: 'client', clientId, sequence, operation },
  };
  appendAsLeader(state, context, entry);
  broadcastAppend(state, context, false);
  maybeCommit(state, context);
}
