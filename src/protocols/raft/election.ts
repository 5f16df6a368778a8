import type { RaftContext } from './declarations.js';
import type { NodeId } from '../../protocol/effects.js';
import { fail, maybe } from '../../util/assert.js';
import type { VoteRequest, VoteResponse } from './messages.js';
import { becomeCandidate, becomeFollower, becomePreCandidate, maybeWinElection, maybeWinPreVote } from './roles.js';
import { MICROS_PER_MS } from '../../sim/time.js';
import type { RaftState } from './state.js';
import { persistHardState } from './storage.js';
import { armElectionTimer } from './timers.js';

type Context = RaftContext;

/** The election timer fired: campaign, unless the node may not vote for itself. */
export function campaign(state: RaftState, context: Context): void {
  if (state.role === 'leader') fail(`leader ${state.id} campaigns`);
  if (state.health.kind !== 'healthy') {
    // A recovering node waits for a leader to catch it up; it keeps listening.
    armElectionTimer(state, context);
    return;
  }
  if (state.options.preVote) becomePreCandidate(state, context);
  else becomeCandidate(state, context);
}

/**
 * Leader stickiness (dissertation §4.2.3): a node that heard from a live leader less than a
 * minimum election timeout ago ignores requests to elect someone else. Pre-votes always get this
 * check (it is what makes a rejoining node harmless); real votes only with checkQuorum, which
 * guarantees that a leader cut off from its quorum steps down on its own. Lease reads rely on it.
 */
export function isInLease(state: RaftState, context: Context, type: 'vote' | 'pre-vote'): boolean {
  if (type === 'vote' && !state.options.checkQuorum) return false;
  if (state.role === 'leader') return true;
  if (state.leaderId === null || state.lastLeaderContactAt === null) return false;
  return context.now - state.lastLeaderContactAt < state.options.electionTimeoutMinMs * MICROS_PER_MS;
}

/** Grants a (pre-)vote when we could vote and the candidate's log is at least as up-to-date. */
export function handleVoteRequest(state: RaftState, context: Context, from: NodeId, request: VoteRequest): void {
  const preVote = request.type === 'pre-vote';
  if (!preVote && request.term !== state.currentTerm) fail(`vote request of term ${request.term} at term ${state.currentTerm}`);
  const free =
    state.votedFor === from ||
    (state.votedFor === null && state.leaderId === null) ||
    (preVote && request.term > state.currentTerm);
  const upToDate = state.log.isUpToDate(request.lastLogIndex, request.lastLogTerm);
  if (!upToDate && state.health.kind === 'healthy' && free) context.mark('vote-refused-log-behind');
  const granted = state.health.kind === 'healthy' && free && upToDate;
  maybe(granted);
  if (granted && !preVote) grantVote(state, context, from);
  const response: VoteResponse = {
    type: preVote ? 'pre-vote-response' : 'vote-response',
    // A granted pre-vote answers in the proposed term, so the pre-candidate can tell it is current.
    term: granted && preVote ? request.term : state.currentTerm,
    granted,
  };
  context.send(from, response);
}

function grantVote(state: RaftState, context: Context, candidate: NodeId): void {
  // A candidate has voted for itself and a leader's term is decided: neither can grant.
  if (state.role !== 'follower' && state.role !== 'pre-candidate') fail(`${state.role} ${state.id} grants a vote`);
  if (state.votedFor !== null && state.votedFor !== candidate) fail(`node ${state.id} votes twice in term ${state.currentTerm}`);
  state.votedFor = candidate;
  context.mark('vote-granted');
  if (state.bootedFromDisk) context.mark('vote-granted-after-restart');
  // The vote is persisted before the response that announces it (etcd: HardState before messages).
  if (!state.options.unsafeSkipPersistVote) persistHardState(state, context);
  armElectionTimer(state, context);
}

export function handleVoteResponse(state: RaftState, context: Context, from: NodeId, response: VoteResponse): void {
  const preVote = response.type === 'pre-vote-response';
  if (state.role !== (preVote ? 'pre-candidate' : 'candidate')) return;
  const currentCampaignTerm = preVote ? state.currentTerm + 1 : state.currentTerm;
  // A grant must be for this campaign; a refusal may carry the voter's (not higher) term.
  if (response.granted && response.term !== currentCampaignTerm) return;
  if (response.granted) state.votesGranted.add(from);
  else state.votesRefused.add(from);
  const clusterSize = state.peers.length + 1;
  if (state.votesRefused.size > clusterSize - state.quorum) {
    becomeFollower(state, context, state.currentTerm, null);
    return;
  }
  if (preVote) maybeWinPreVote(state, context);
  else maybeWinElection(state, context);
}
