import type { NodeId } from '../../protocol/effects.js';
import type { PaxosContext } from './declarations.js';
import type { PaxosState } from './state.js';
import { armElectionTimer, CHECK_QUORUM_TIMER, HEARTBEAT_TIMER } from './timers.js';

/**
 * Becomes a follower (of `leaderId` when known). A leader stepping down answers what it holds:
 * proposed writes `unknown` (a later leader may still choose them), requests never proposed
 * `redirect` (they certainly did not happen).
 */
export function becomeFollower(state: PaxosState, context: PaxosContext, leaderId: NodeId | null): void {
  if (state.role === 'leader') stepDown(state, context);
  state.role = 'follower';
  state.preparing = null;
  state.leaderId = leaderId;
  state.lastLeaderContactAt = leaderId === null ? null : context.now;
  armElectionTimer(state, context);
}

/** A message from the leader of `leader`'s ballot: it is alive, so the election timer restarts. */
export function noteLeaderContact(state: PaxosState, context: PaxosContext, leader: NodeId): void {
  if (state.role === 'leader' && leader === state.id) return;
  if (state.role !== 'follower') becomeFollower(state, context, leader);
  state.leaderId = leader;
  state.lastLeaderContactAt = context.now;
  state.failedAttempts = 0;
  armElectionTimer(state, context);
}

function stepDown(state: PaxosState, context: PaxosContext): void {
  for (const open of state.open.values()) {
    if (open.request !== null) context.reply(open.request.requestId, { status: 'unknown', error: 'leadership lost before the slot was chosen' });
  }
  for (const waiting of state.awaitingApply.values()) {
    context.reply(waiting.requestId, { status: 'unknown', error: 'leadership lost before the slot applied' });
  }
  for (const waiting of state.waiting) context.reply(waiting.requestId, { status: 'redirect', leaderHint: null });
  state.open.clear();
  state.awaitingApply.clear();
  state.waiting = [];
  state.roundSentAt.clear();
  state.acknowledgedRound.clear();
  state.leaseExpiresAt = 0;
  context.cancelTimer(HEARTBEAT_TIMER);
  context.cancelTimer(CHECK_QUORUM_TIMER);
}
