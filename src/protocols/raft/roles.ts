import type { RaftContext } from './declarations.js';
import type { NodeId } from '../../protocol/effects.js';
import { assert, fail } from '../../util/assert.js';
import { maybeCommit } from './commit.js';
import type { LogEntry, RaftMessage, Term } from './messages.js';
import { createProgress } from './progress.js';
import { failPendingReads } from './reads.js';
import { appendAsLeader, broadcastAppend } from './replication.js';
import type { RaftState } from './state.js';
import { persistHardState } from './storage.js';
import {
  armCheckQuorumTimer,
  armElectionTimer,
  armHeartbeatTimer,
  CHECK_QUORUM_TIMER,
  drawElectionTimeout,
  ELECTION_TIMER,
  HEARTBEAT_TIMER,
} from './timers.js';

type Context = RaftContext;

/**
 * Becomes a follower of `term` (persisting the new term first). A leader stepping down answers
 * its pending requests: writes `unknown` (they may still commit under the next leader), reads
 * `redirect` (a read that never ran had no effect).
 */
export function becomeFollower(state: RaftState, context: Context, term: Term, leaderId: NodeId | null): void {
  if (term < state.currentTerm) fail(`node ${state.id} follows term ${term} below its term ${state.currentTerm}`);
  const wasLeader = state.role === 'leader';
  if (term > state.currentTerm) {
    state.currentTerm = term;
    state.votedFor = null;
    persistHardState(state, context);
  }
  state.role = 'follower';
  state.leaderId = leaderId;
  state.lastLeaderContactAt = leaderId === null ? null : context.now;
  if (wasLeader) stepDown(state, context);
  resetCampaign(state);
  drawElectionTimeout(state, context);
  armElectionTimer(state, context);
}

/** Pre-vote (dissertation §9.6): ask whether we could win before disturbing anyone's term. */
export function becomePreCandidate(state: RaftState, context: Context): void {
  if (state.role === 'leader') fail(`leader ${state.id} starts a pre-vote`);
  assert(state.options.preVote, 'pre-vote with preVote off');
  campaign(state, context, 'pre-candidate', 'pre-vote', state.currentTerm + 1);
  maybeWinPreVote(state, context);
}

export function becomeCandidate(state: RaftState, context: Context): void {
  if (state.role === 'leader') fail(`leader ${state.id} starts an election`);
  state.currentTerm += 1;
  state.votedFor = state.id;
  // The vote for ourselves must be durable before anyone can count on it.
  persistHardState(state, context);
  campaign(state, context, 'candidate', 'vote', state.currentTerm);
  maybeWinElection(state, context);
}

/** What a pre-vote and a real election share: vote for ourselves, re-arm the timer, ask everyone. */
function campaign(state: RaftState, context: Context, role: 'pre-candidate' | 'candidate', kind: 'pre-vote' | 'vote', term: number): void {
  state.role = role;
  state.leaderId = null;
  state.lastLeaderContactAt = null;
  resetCampaign(state);
  state.votesGranted.add(state.id);
  drawElectionTimeout(state, context);
  armElectionTimer(state, context);
  const request = voteRequest(state, kind, term);
  for (const peer of state.peers) context.send(peer, request);
}

/** Takes office: a fresh progress per follower and a no-op of the new term (Raft §8). */
export function becomeLeader(state: RaftState, context: Context): void {
  if (state.role !== 'candidate') fail(`node ${state.id} becomes leader from ${state.role}`);
  if (state.votedFor !== state.id) fail(`leader ${state.id} voted for ${state.votedFor}`);
  state.role = 'leader';
  state.leaderId = state.id;
  state.lastLeaderContactAt = context.now;
  context.cancelTimer(ELECTION_TIMER);
  state.progress.length = 0;
  for (const peer of state.peers) state.progress[peer] = createProgress(state.log.lastIndex + 1);
  state.heartbeatRound = 0;
  state.roundSentAt.clear();
  state.leaseExpiresAt = 0;
  const noop: LogEntry = { index: state.log.lastIndex + 1, term: state.currentTerm, command: { kind: 'noop' } };
  appendAsLeader(state, context, noop);
  broadcastAppend(state, context, true);
  armHeartbeatTimer(state, context);
  if (state.options.checkQuorum) armCheckQuorumTimer(state, context);
  maybeCommit(state, context);
}

/** With a quorum of pre-votes, run the real election. */
export function maybeWinPreVote(state: RaftState, context: Context): void {
  if (state.votesGranted.size >= state.quorum) becomeCandidate(state, context);
}

export function maybeWinElection(state: RaftState, context: Context): void {
  if (state.votesGranted.size >= state.quorum) becomeLeader(state, context);
}

function voteRequest(state: RaftState, type: 'vote' | 'pre-vote', term: Term): RaftMessage {
  return { type, term, lastLogIndex: state.log.lastIndex, lastLogTerm: state.log.lastTerm };
}

function resetCampaign(state: RaftState): void {
  state.votesGranted.clear();
  state.votesRefused.clear();
}

function stepDown(state: RaftState, context: Context): void {
  if (state.pendingWrites.size > 0) context.mark('writes-unknown-on-step-down');
  for (const requestId of state.pendingWrites.values()) {
    context.reply(requestId, { status: 'unknown', error: 'leadership lost before the write committed' });
  }
  state.pendingWrites.clear();
  failPendingReads(state, context);
  state.progress.length = 0;
  state.roundSentAt.clear();
  state.leaseExpiresAt = 0;
  context.cancelTimer(HEARTBEAT_TIMER);
  context.cancelTimer(CHECK_QUORUM_TIMER);
}
