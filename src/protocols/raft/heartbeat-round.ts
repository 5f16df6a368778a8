import type { RaftContext } from './declarations.js';
import { fail } from '../../util/assert.js';
import { progressOf, type RaftState } from './state.js';

// Apart from the heartbeat handlers so that reads (which start rounds to confirm leadership) and
// the heartbeat timer share it without importing each other.

/**
 * Sends one heartbeat round and returns its number. Each follower is told a commit index it is
 * known to hold (etcd: min(match, commit)), so it can advance its commit without an append.
 */
export function broadcastHeartbeat(state: RaftState, context: RaftContext): number {
  if (state.role !== 'leader') fail(`${state.role} ${state.id} sends heartbeats`);
  state.heartbeatRound += 1;
  const round = state.heartbeatRound;
  if (state.options.readMode === 'lease') state.roundSentAt.set(round, context.now);
  for (const peer of state.peers) {
    const progress = progressOf(state, peer);
    const commitIndex = Math.min(progress.matchIndex, state.commitIndex);
    context.send(peer, { type: 'heartbeat', term: state.currentTerm, commitIndex, round });
  }
  return round;
}
