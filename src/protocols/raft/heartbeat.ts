import type { RaftContext } from './declarations.js';
import type { NodeId } from '../../protocol/effects.js';
import { fail } from '../../util/assert.js';
import type { HeartbeatResponse } from './messages.js';
import { broadcastHeartbeat } from './heartbeat-round.js';
import { freeOneInflight } from './progress.js';
import { maybeServeReads } from './reads.js';
import { maybeResumeAfterHeartbeat } from './replication.js';
import { becomeFollower } from './roles.js';
import { progressOf, type RaftState } from './state.js';
import { armCheckQuorumTimer, armHeartbeatTimer } from './timers.js';

type Context = RaftContext;

export function onHeartbeatTimer(state: RaftState, context: Context): void {
  if (state.role !== 'leader') return;
  broadcastHeartbeat(state, context);
  armHeartbeatTimer(state, context);
}

export function handleHeartbeatResponse(state: RaftState, context: Context, from: NodeId, response: HeartbeatResponse): void {
  if (response.term !== state.currentTerm) fail(`heartbeat response of term ${response.term} at ${state.currentTerm}`);
  const progress = progressOf(state, from);
  progress.recentlyActive = true;
  if (response.round > progress.acknowledgedRound) progress.acknowledgedRound = response.round;
  // The follower is alive: if appends were lost, let one through so replication resumes.
  freeOneInflight(progress, state.options.maxInflightMessages);
  maybeResumeAfterHeartbeat(state, context, from, progress);
  maybeServeReads(state, context);
}

/** Check-quorum (dissertation §6.2): a leader that cannot reach a quorum stops acting as one. */
export function onCheckQuorumTimer(state: RaftState, context: Context): void {
  if (state.role !== 'leader') return;
  let active = 1;
  for (const peer of state.peers) {
    const progress = progressOf(state, peer);
    if (progress.recentlyActive) active++;
    progress.recentlyActive = false;
  }
  if (active < state.quorum) {
    context.mark('leader-stepped-down-no-quorum');
    becomeFollower(state, context, state.currentTerm, null);
    return;
  }
  armCheckQuorumTimer(state, context);
}
