import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader, Protocol } from '../../protocol/protocol.js';
import { millis } from '../../sim/time.js';
import { fail, unreachable } from '../../util/assert.js';
import { onAck, onCoordinatorRequest, onCoordinatorTick, onStatus, onVote, recoverCoordinator } from './coordinator.js';
import { TPC_MARKS, TPC_MESSAGES, TPC_TIMERS, type TpcContext, type TpcMark, type TpcTimer } from './declarations.js';
import { tpcObservers } from './invariants.js';
import { renderTpcMessage, type TpcMessage } from './messages.js';
import { TPC_OPTIONS, type TpcOptions } from './options.js';
import { onDecision, onParticipantTick, onPrepare, recoverParticipant } from './participant.js';
import { COORDINATOR, type TpcState } from './state.js';

/**
 * Two-phase commit (Gray 1978; Bernstein, Hadzilacos, Goodman ch. 7) with presumed abort: node 0
 * coordinates, the other nodes hold the accounts. A participant logs PREPARED (writes and locks)
 * before voting yes; the coordinator logs a commit before anyone hears it; a participant in
 * doubt asks, and a coordinator with no record answers abort. Serves the `bank` workload:
 * `transfer [from, to, amount]` and `read` (every balance).
 */
export const twoPhaseCommitProtocol: Protocol<TpcState, TpcMessage, TpcOptions, TpcTimer, TpcMark> = {
  name: 'two-phase-commit',
  description: 'two-phase commit with presumed abort: a coordinator and account-holding participants (bank workload)',
  options: TPC_OPTIONS,
  messages: TPC_MESSAGES,
  timers: TPC_TIMERS,
  marks: TPC_MARKS,
  workloads: ['bank'],
  // A retried transfer would be a second transfer: clients give up with `info` instead.
  deduplicatesRetries: false,
  init,
  onMessage,
  onTimer,
  onClientRequest,
  isLeader: (state) => state.id === COORDINATOR,
  renderMessage: renderTpcMessage,
  summarizeState: (state) => ({
    role: state.id === COORDINATOR ? 'coordinator' : 'participant',
    epoch: state.epoch,
    leader: COORDINATOR,
    commit: state.outcomes.size,
    detail: state.id === COORDINATOR ? `${state.txns.size} open` : `${state.prepared.size} prepared`,
  }),
  observers: () => tpcObservers(),
};

function init(context: TpcContext, disk: DurableReader, options: TpcOptions): TpcState {
  if (context.nodes.length < 2) fail('two-phase-commit needs a coordinator and at least one participant');
  const state: TpcState = {
    options,
    id: context.id,
    nodeCount: context.nodes.length,
    epoch: 0,
    nextInEpoch: 0,
    txns: new Map(),
    unloggedDecisions: [],
    balances: new Map(),
    prepared: new Map(),
    locks: new Map(),
    outcomes: new Map(),
    outcomeLog: [],
  };
  if (context.id === COORDINATOR) recoverCoordinator(state, disk, context);
  else recoverParticipant(state, disk, context);
  context.setTimer('tick', millis(options.retryMs));
  return state;
}

function onMessage(state: TpcState, from: NodeId, message: TpcMessage, context: TpcContext): void {
  const coordinator = state.id === COORDINATOR;
  switch (message.type) {
    case 'prepare':
      if (!coordinator) onPrepare(state, message, context);
      return;
    case 'decision':
      if (!coordinator) onDecision(state, message.txn, message.decision, context);
      return;
    case 'vote':
      if (coordinator) onVote(state, from, message, context);
      return;
    case 'ack':
      if (coordinator) onAck(state, from, message.txn, context);
      return;
    case 'status':
      if (coordinator) onStatus(state, from, message.txn, context);
      return;
    default:
      unreachable(message, 'two-phase-commit message');
  }
}

function onTimer(state: TpcState, name: TpcTimer, context: TpcContext): void {
  switch (name) {
    case 'tick':
      if (state.id === COORDINATOR) onCoordinatorTick(state, context);
      else onParticipantTick(state, context);
      context.setTimer('tick', millis(state.options.retryMs));
      return;
    default:
      unreachable(name, 'two-phase-commit timer');
  }
}

function onClientRequest(state: TpcState, request: ClientRequest, context: TpcContext): void {
  if (state.id !== COORDINATOR) {
    context.reply(request.requestId, { status: 'redirect', leaderHint: COORDINATOR });
    return;
  }
  onCoordinatorRequest(state, request, context);
}
