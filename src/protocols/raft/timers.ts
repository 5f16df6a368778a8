import type { RaftContext, RaftTimer } from './declarations.js';
import { MICROS_PER_MS } from '../../sim/time.js';
import type { RaftState } from './state.js';

/** Followers and candidates: start (or restart) a campaign when it fires. */
export const ELECTION_TIMER = 'election' satisfies RaftTimer;
/** Leaders: send a heartbeat round to every follower. */
export const HEARTBEAT_TIMER = 'heartbeat' satisfies RaftTimer;
/** Leaders (checkQuorum): step down unless a quorum was heard from since the last firing. */
export const CHECK_QUORUM_TIMER = 'check-quorum' satisfies RaftTimer;


type Context = RaftContext;

/** Draws a fresh randomized election timeout from the node's own stream (Raft §5.2). */
export function drawElectionTimeout(state: RaftState, context: Context): void {
  const { electionTimeoutMinMs, electionTimeoutMaxMs } = state.options;
  state.electionTimeoutMicros = context.random.range(electionTimeoutMinMs * MICROS_PER_MS, electionTimeoutMaxMs * MICROS_PER_MS);
}

/** Re-arms the election timer with the current draw (on every sign of a live leader). */
export function armElectionTimer(state: RaftState, context: Context): void {
  context.setTimer(ELECTION_TIMER, state.electionTimeoutMicros);
}

export function armHeartbeatTimer(state: RaftState, context: Context): void {
  context.setTimer(HEARTBEAT_TIMER, state.options.heartbeatIntervalMs * MICROS_PER_MS);
}

export function armCheckQuorumTimer(state: RaftState, context: Context): void {
  context.setTimer(CHECK_QUORUM_TIMER, state.options.electionTimeoutMinMs * MICROS_PER_MS);
}
