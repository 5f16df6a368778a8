import { MICROS_PER_MS } from '../../sim/time.js';
import type { PaxosContext, PaxosTimer } from './declarations.js';
import type { PaxosState } from './state.js';

export const ELECTION_TIMER = 'election' satisfies PaxosTimer;
export const HEARTBEAT_TIMER = 'heartbeat' satisfies PaxosTimer;
export const CHECK_QUORUM_TIMER = 'check-quorum' satisfies PaxosTimer;

/** Failed attempts beyond this do not lengthen the timeout further. */
const BACKOFF_ATTEMPTS_MAX = 4;

/**
 * Arms the election timer with a fresh randomized delay. Each failed phase 1 in a row widens the
 * range by another (max - min), so dueling proposers drift apart (liveness comes from backoff).
 */
export function armElectionTimer(state: PaxosState, context: PaxosContext): void {
  const { electionTimeoutMinMs: min, electionTimeoutMaxMs: max } = state.options;
  const attempts = Math.min(state.failedAttempts, BACKOFF_ATTEMPTS_MAX);
  const spread = (max - min) * (1 + attempts) + attempts * min;
  context.setTimer(ELECTION_TIMER, context.random.range(min * MICROS_PER_MS, (min + spread) * MICROS_PER_MS));
}

export function armHeartbeatTimer(state: PaxosState, context: PaxosContext): void {
  context.setTimer(HEARTBEAT_TIMER, state.options.heartbeatIntervalMs * MICROS_PER_MS);
}

export function armCheckQuorumTimer(state: PaxosState, context: PaxosContext): void {
  context.setTimer(CHECK_QUORUM_TIMER, state.options.electionTimeoutMinMs * MICROS_PER_MS);
}
