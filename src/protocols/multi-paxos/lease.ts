import type { NodeId } from '../../protocol/effects.js';
import { MICROS_PER_MS } from '../../sim/time.js';
import type { PaxosContext } from './declarations.js';
import type { HeartbeatResponse } from './messages.js';
import type { PaxosState } from './state.js';

/**
 * Leader leases (readMode: lease). A heartbeat round sent at local time t and acknowledged by a
 * quorum extends the lease to t + leaseMs: each acknowledging acceptor heard from us after t and
 * refuses other proposers for a minimum election timeout (`hearsLiveLeader`), and any new leader
 * needs one of them — if every clock measures time at the same rate. Clock drift breaks it, as
 * it breaks Raft's.
 */
export function isLeaseValid(state: PaxosState, context: PaxosContext): boolean {
  if (state.options.readMode !== 'lease' || state.role !== 'leader') return false;
  // Until the slots recovered in phase 1 apply, the state machine may lack acknowledged writes.
  if (state.applied < state.recoveredThrough) return false;
  return context.now < state.leaseExpiresAt;
}

export function noteRoundSent(state: PaxosState, context: PaxosContext, round: number): void {
  if (state.options.readMode === 'lease') state.roundSentAt.set(round, context.now);
}

export function handleHeartbeatResponse(state: PaxosState, from: NodeId, response: HeartbeatResponse): void {
  if (state.role !== 'leader' || response.ballot !== state.ballot) return;
  state.heardFrom.add(from);
  if (state.options.readMode !== 'lease') return;
  const previous = state.acknowledgedRound.get(from) ?? 0;
  if (response.round > previous) state.acknowledgedRound.set(from, response.round);
  extendLease(state);
}

function extendLease(state: PaxosState): void {
  const rounds = [state.heartbeatRound];
  for (const peer of state.peers) rounds.push(state.acknowledgedRound.get(peer) ?? 0);
  rounds.sort((a, b) => b - a);
  const acknowledged = rounds[state.quorum - 1] as number;
  const sentAt = state.roundSentAt.get(acknowledged);
  if (sentAt !== undefined) state.leaseExpiresAt = Math.max(state.leaseExpiresAt, sentAt + state.options.leaseMs * MICROS_PER_MS);
  for (const round of state.roundSentAt.keys()) {
    if (round > acknowledged) break;
    state.roundSentAt.delete(round);
  }
}
