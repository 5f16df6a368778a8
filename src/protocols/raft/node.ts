import type { RaftContext, RaftTimer } from './declarations.js';
import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { assert, fail, unreachable } from '../../util/assert.js';
import { createKvStore, restoreKvStore } from '../kv/store.js';
import { handleClientRequest, handleForwardedWrite } from './client.js';
import { campaign, handleVoteRequest, handleVoteResponse, isInLease } from './election.js';
import { handleAppend, handleHeartbeat, handleSnapshot } from './follower.js';
import { handleHeartbeatResponse, onCheckQuorumTimer, onHeartbeatTimer } from './heartbeat.js';
import type { RaftMessage } from './messages.js';
import type { RaftOptions } from './options.js';
import { handleAppendResponse, handleSnapshotResponse } from './replication.js';
import { becomeFollower } from './roles.js';
import { createRaftState, type RaftState } from './state.js';
import { endBatch, HARD_STATE_KEY, persistRecoveryBound, recover } from './storage.js';
import { armElectionTimer, CHECK_QUORUM_TIMER, drawElectionTimeout, ELECTION_TIMER, HEARTBEAT_TIMER } from './timers.js';

type Context = RaftContext;

/** Starts (or restarts) a node from its disk: hard state, snapshot, then the log after it. */
export function initRaft(context: Context, disk: DurableReader, options: RaftOptions): RaftState {
  const state = createRaftState(context.id, context.nodes, options);
  const recovered = recover(disk);
  state.health = recovered.health;
  if (recovered.health.kind !== 'healthy') context.mark('restart-found-corrupt-disk');
  if (recovered.health.kind === 'quarantined') return state;
  // A node that finds a term on disk has run before: what it promised then must still hold.
  state.bootedFromDisk = recovered.term > 0;
  state.currentTerm = recovered.term;
  state.votedFor = recovered.vote;
  if (recovered.snapshot !== null) {
    const kv = restoreKvStore(recovered.snapshot.data);
    assert(kv !== undefined, 'recovery accepted an unreadable snapshot');
    state.snapshot = recovered.snapshot;
    state.kv = kv;
    state.log.resetTo(recovered.snapshot.index, recovered.snapshot.term);
  } else {
    state.kv = createKvStore();
  }
  for (const entry of recovered.entries) state.log.append(entry);
  state.localReadFloor = state.log.lastIndex;
  state.commitIndex = state.log.snapshotIndex;
  state.lastApplied = state.log.snapshotIndex;
  state.step.logChangedFrom = 0;
  cleanUpDisk(state, context, recovered);
  drawElectionTimeout(state, context);
  armElectionTimer(state, context);
  endBatch(state, context);
  return state;
}

/** The bound goes to disk before any corrupt record is deleted, so a second crash keeps it. */
function cleanUpDisk(state: RaftState, context: Context, recovered: ReturnType<typeof recover>): void {
  if (recovered.boundAction === 'write') {
    assert(state.health.kind === 'recovering', 'a recovery bound without recovery');
    persistRecoveryBound(state, context, state.health.untilIndex);
  } else if (recovered.boundAction === 'clear') {
    persistRecoveryBound(state, context, undefined);
  }
  for (const key of recovered.garbage) {
    assert(key !== HARD_STATE_KEY, 'recovery discards the hard state');
    context.persist(key, undefined);
    state.wroteThisStep = true;
  }
}

/** Resets the per-step record the observers read. */
function beginStep(state: RaftState): void {
  const step = state.step;
  if (step.applied.length > 0) step.applied = [];
  step.logChangedFrom = Infinity;
  step.installedSnapshot = null;
  if (state.wroteThisStep) fail(`node ${state.id} left a batch open`);
}

export function onRaftMessage(state: RaftState, from: NodeId, message: RaftMessage, context: Context): void {
  beginStep(state);
  if (state.health.kind === 'quarantined') return;
  if (acceptTerm(state, context, from, message)) dispatch(state, context, from, message);
  endBatch(state, context);
}

export function onRaftTimer(state: RaftState, name: RaftTimer, context: Context): void {
  beginStep(state);
  if (state.health.kind === 'quarantined') return;
  switch (name) {
    case ELECTION_TIMER:
      if (state.role !== 'leader') campaign(state, context);
      break;
    case HEARTBEAT_TIMER:
      onHeartbeatTimer(state, context);
      break;
    case CHECK_QUORUM_TIMER:
      onCheckQuorumTimer(state, context);
      break;
    default:
      unreachable(name, 'raft timer');
  }
  endBatch(state, context);
}

export function onRaftClientRequest(state: RaftState, request: ClientRequest, context: Context): void {
  beginStep(state);
  if (state.health.kind === 'quarantined') {
    context.reply(request.requestId, { status: 'redirect', leaderHint: null });
    return;
  }
  handleClientRequest(state, context, request);
  endBatch(state, context);
}

/**
 * Term rules before any handler (Raft §5.1, with etcd's pre-vote refinements). Returns whether
 * the message should be handled.
 */
function acceptTerm(state: RaftState, context: Context, from: NodeId, message: RaftMessage): boolean {
  if (message.term > state.currentTerm) return acceptHigherTerm(state, context, from, message);
  if (message.term < state.currentTerm) {
    answerStaleMessage(state, context, from, message);
    return false;
  }
  return true;
}

function acceptHigherTerm(state: RaftState, context: Context, from: NodeId, message: RaftMessage): boolean {
  switch (message.type) {
    case 'vote':
    case 'pre-vote':
      if (isInLease(state, context, message.type)) {
        context.mark('vote-ignored-leader-lease');
        return false;
      }
      if (message.type === 'vote') becomeFollower(state, context, message.term, null);
      return true;
    case 'pre-vote-response':
      // A grant answers in the term we would campaign in; only a refusal reveals a newer term.
      if (!message.granted) becomeFollower(state, context, message.term, null);
      return message.granted;
    case 'append':
    case 'heartbeat':
    case 'snapshot':
      becomeFollower(state, context, message.term, from);
      return true;
    case 'vote-response':
    case 'append-response':
    case 'heartbeat-response':
    case 'snapshot-response':
    case 'forward':
      becomeFollower(state, context, message.term, null);
      return false;
    default:
      return unreachable(message, 'raft message');
  }
}

/**
 * A message from an older term. A stale leader is told our term so it steps down (with pre-vote
 * and check-quorum it would otherwise never learn of it); a stale pre-candidate is refused.
 */
function answerStaleMessage(state: RaftState, context: Context, from: NodeId, message: RaftMessage): void {
  if (message.type === 'append' || message.type === 'heartbeat' || message.type === 'snapshot') {
    context.mark('stale-term-answered');
    context.send(from, { type: 'heartbeat-response', term: state.currentTerm, round: 0 });
  } else if (message.type === 'pre-vote') {
    context.send(from, { type: 'pre-vote-response', term: state.currentTerm, granted: false });
  }
}

function dispatch(state: RaftState, context: Context, from: NodeId, message: RaftMessage): void {
  // The replication traffic first: a string switch compares case by case.
  switch (message.type) {
    case 'append':
      handleAppend(state, context, from, message);
      return;
    case 'append-response':
      if (state.role === 'leader') handleAppendResponse(state, context, from, message);
      return;
    case 'heartbeat':
      handleHeartbeat(state, context, from, message);
      return;
    case 'heartbeat-response':
      if (state.role === 'leader') handleHeartbeatResponse(state, context, from, message);
      return;
    case 'vote':
    case 'pre-vote':
      handleVoteRequest(state, context, from, message);
      return;
    case 'vote-response':
    case 'pre-vote-response':
      handleVoteResponse(state, context, from, message);
      return;
    case 'snapshot':
      handleSnapshot(state, context, from, message);
      return;
    case 'snapshot-response':
      if (state.role === 'leader') handleSnapshotResponse(state, context, from, message);
      return;
    case 'forward':
      handleForwardedWrite(state, context, message);
      return;
    default:
      unreachable(message, 'raft message');
  }
}
