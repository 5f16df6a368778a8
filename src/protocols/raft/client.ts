import type { RaftContext } from './declarations.js';
import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeContext } from '../../protocol/protocol.js';
import { fail } from '../../util/assert.js';
import { parseKvOperation, type KvOperation } from '../kv/operation.js';
import { maybeCommit } from './commit.js';
import type { LogEntry, RaftMessage } from './messages.js';
import { handleRead } from './reads.js';
import { appendAsLeader, broadcastAppend } from './replication.js';
import { pendingRequestCount, type RaftState } from './state.js';

type Context = RaftContext;

/**
 * A client request. Only the leader serves: everyone else redirects with its best guess of the
 * leader. Writes go through the log; reads take the ReadIndex (or lease) path.
 */
export function handleClientRequest(state: RaftState, context: Context, request: ClientRequest): void {
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
 * Appends a client write. A retry of a request the state machine already applied is answered
 * from the session at once; any other retry is appended again and deduplicated when applied.
 */
function propose(state: RaftState, context: Context, request: ClientRequest, operation: KvOperation): void {
  const session = state.kv.sessions.get(request.clientId);
  if (session !== undefined && request.sequence <= session.sequence) {
    context.mark('retry-answered-from-session');
    const response =
      request.sequence === session.sequence
        ? session.response
        : ({ status: 'unknown', error: `stale sequence ${request.sequence} < ${session.sequence}` } as const);
    context.reply(request.requestId, response);
    return;
  }
  const entry: LogEntry = {
    index: state.log.lastIndex + 1,
    term: state.currentTerm,
    command: { kind: 'client', clientId: request.clientId, sequence: request.sequence, operation },
  };
  if (state.pendingWrites.has(entry.index)) fail(`index ${entry.index} already has a pending write`);
  appendAsLeader(state, context, entry);
  state.pendingWrites.set(entry.index, request.requestId);
  broadcastAppend(state, context, false);
  maybeCommit(state, context);
}
