import type { ClientRequest } from '../../protocol/client-types.js';
import { parseKvOperation } from '../kv/operation.js';
import { executeKvOperation, type KvCommand } from '../kv/store.js';
import type { PaxosContext } from './declarations.js';
import { isLeaseValid } from './lease.js';
import { fillWindow } from './replication.js';
import { pendingRequestCount, type PaxosState } from './state.js';

/**
 * A client request. Only the leader serves: others redirect with their guess of the leader.
 * Every operation, reads included, goes through the log by default, so it is linearizable
 * without any clock assumption; under `readMode: lease` a leader with a valid lease answers
 * reads from its state machine.
 */
export function handleClientRequest(state: PaxosState, context: PaxosContext, request: ClientRequest): void {
  if (state.role !== 'leader') {
    context.reply(request.requestId, { status: 'redirect', leaderHint: state.leaderId === state.id ? null : state.leaderId });
    return;
  }
  const operation = parseKvOperation(request.operation);
  if (typeof operation === 'string') {
    context.reply(request.requestId, { status: 'fail', error: operation });
    return;
  }
  if (operation.f === 'read' && isLeaseValid(state, context)) {
    context.mark('lease-read');
    context.reply(request.requestId, executeKvOperation(state.kv, operation));
    return;
  }
  if (pendingRequestCount(state) >= state.options.maxPendingRequests) {
    context.reply(request.requestId, { status: 'fail', error: 'leader overloaded' });
    return;
  }
  // Client sessions, as Raft's: a request already applied is answered from its session.
  const session = state.kv.sessions.get(request.clientId);
  if (session !== undefined && request.sequence <= session.sequence) {
    const response =
      request.sequence === session.sequence ? session.response : ({ status: 'unknown', error: `stale sequence ${request.sequence} < ${session.sequence}` } as const);
    context.reply(request.requestId, response);
    return;
  }
  const command: KvCommand = { clientId: request.clientId, sequence: request.sequence, operation };
  state.step.clientCommands.push(command);
  state.waiting.push({ requestId: request.requestId, command });
  if (state.open.size >= state.options.windowSlots) context.mark('window-full');
  fillWindow(state, context);
}
