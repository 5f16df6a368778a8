import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { assert, fail, unreachable } from '../../util/assert.js';
import { restoreKvStore } from '../kv/store.js';
import { ballotNode, NO_BALLOT } from './ballot.js';
import { handleClientRequest } from './client.js';
import { handleAccept, handlePrepare } from './acceptor.js';
import type { PaxosContext, PaxosTimer } from './declarations.js';
import { handleCatchUp, handleCatchUpResponse, learnFromLeader } from './learner.js';
import { handleHeartbeatResponse, noteRoundSent } from './lease.js';
import type { HeartbeatRequest, PaxosMessage } from './messages.js';
import type { PaxosOptions } from './options.js';
import { handleNack, handlePromise, startPhase1 } from './proposer.js';
import { handleAccepted, retransmit } from './replication.js';
import { becomeFollower, noteLeaderContact } from './roles.js';
import { chosenThrough, createPaxosState, type PaxosState } from './state.js';
import { endBatch, recover } from './storage.js';
import { armCheckQuorumTimer, armElectionTimer, armHeartbeatTimer, CHECK_QUORUM_TIMER, ELECTION_TIMER, HEARTBEAT_TIMER } from './timers.js';

type Context = PaxosContext;

/** Starts (or restarts) a node from its disk: round, promise, accepted values, snapshot. */
export function initPaxos(context: Context, disk: DurableReader, options: PaxosOptions): PaxosState {
  const state = createPaxosState(context.id, context.nodes, options);
  const recovered = recover(disk);
  if (recovered.kind === 'corrupt') {
    // It may have promised or accepted something it can no longer name: it must never answer again.
    state.quarantined = recovered.reason;
    context.mark('quarantined');
    return state;
  }
  state.round = recovered.round;
  state.promised = recovered.promised;
  if (recovered.snapshot !== null) {
    const kv = restoreKvStore(recovered.snapshot.data);
    assert(kv !== undefined, 'recovery accepted an unreadable snapshot');
    state.kv = kv;
    state.snapshot = recovered.snapshot;
    state.applied = recovered.snapshot.slot;
  }
  for (const proposal of recovered.accepted) {
    if (proposal.slot > state.applied) state.accepted.set(proposal.slot, proposal);
  }
  armElectionTimer(state, context);
  return state;
}

function beginStep(state: PaxosState): void {
  const step = state.step;
  if (step.accepted.length > 0) step.accepted = [];
  if (step.proposed.length > 0) step.proposed = [];
  if (step.applied.length > 0) step.applied = [];
  if (step.heard.length > 0) step.heard = [];
  if (step.preparesReceived.length > 0) step.preparesReceived = [];
  if (step.clientCommands.length > 0) step.clientCommands = [];
  step.startedBallot = NO_BALLOT;
  step.installedSnapshot = 0;
  if (state.wroteThisStep) fail(`node ${state.id} left a batch open`);
}

export function onPaxosMessage(state: PaxosState, from: NodeId, message: PaxosMessage, context: Context): void {
  beginStep(state);
  if (state.quarantined !== null) return;
  dispatch(state, context, from, message);
  endBatch(state, context);
}

function dispatch(state: PaxosState, context: Context, from: NodeId, message: PaxosMessage): void {
  switch (message.type) {
    case 'accept':
      handleAccept(state, context, from, message);
      return;
    case 'accepted':
      handleAccepted(state, context, from, message);
      return;
    case 'heartbeat':
      handleHeartbeat(state, context, from, message);
      return;
    case 'heartbeat-response':
      handleHeartbeatResponse(state, from, message);
      return;
    case 'prepare':
      handlePrepare(state, context, from, message);
      return;
    case 'promise':
      handlePromise(state, context, from, message);
      return;
    case 'nack':
      handleNack(state, context, from, message);
      return;
    case 'catch-up':
      handleCatchUp(state, context, from, message);
      return;
    case 'catch-up-response':
      handleCatchUpResponse(state, context, message);
      return;
    default:
      unreachable(message, 'multi-paxos message');
  }
}

/** A heartbeat below our promise comes from a deposed leader: the nack tells it so. */
function handleHeartbeat(state: PaxosState, context: Context, from: NodeId, message: HeartbeatRequest): void {
  if (message.ballot < state.promised) {
    context.send(from, { type: 'nack', ballot: message.ballot, promised: state.promised });
    return;
  }
  if (state.role === 'leader' && state.ballot < message.ballot) becomeFollower(state, context, null);
  noteLeaderContact(state, context, ballotNode(message.ballot));
  context.send(from, { type: 'heartbeat-response', ballot: message.ballot, round: message.round });
  learnFromLeader(state, context, message.ballot, message.chosenThrough);
}

export function onPaxosTimer(state: PaxosState, name: PaxosTimer, context: Context): void {
  beginStep(state);
  if (state.quarantined !== null) return;
  switch (name) {
    case ELECTION_TIMER:
      if (state.role !== 'leader') startPhase1(state, context);
      break;
    case HEARTBEAT_TIMER:
      onHeartbeatTimer(state, context);
      break;
    case CHECK_QUORUM_TIMER:
      onCheckQuorumTimer(state, context);
      break;
    default:
      unreachable(name, 'multi-paxos timer');
  }
  endBatch(state, context);
}

function onHeartbeatTimer(state: PaxosState, context: Context): void {
  if (state.role !== 'leader') return;
  state.heartbeatRound += 1;
  noteRoundSent(state, context, state.heartbeatRound);
  const message: PaxosMessage = { type: 'heartbeat', ballot: state.ballot, chosenThrough: chosenThrough(state), round: state.heartbeatRound };
  for (const peer of state.peers) context.send(peer, message);
  retransmit(state, context);
  armHeartbeatTimer(state, context);
}

/** A leader that has not heard from a quorum for a minimum election timeout steps down. */
function onCheckQuorumTimer(state: PaxosState, context: Context): void {
  if (state.role !== 'leader') return;
  if (state.heardFrom.size + 1 < state.quorum) {
    context.mark('check-quorum-step-down');
    becomeFollower(state, context, null);
    return;
  }
  state.heardFrom.clear();
  armCheckQuorumTimer(state, context);
}

export function onPaxosClientRequest(state: PaxosState, request: ClientRequest, context: Context): void {
  beginStep(state);
  if (state.quarantined !== null) {
    context.reply(request.requestId, { status: 'redirect', leaderHint: null });
    return;
  }
  handleClientRequest(state, context, request);
  endBatch(state, context);
}
