import type { RaftContext } from './declarations.js';
import type { NodeId } from '../../protocol/effects.js';
import { assert, fail } from '../../util/assert.js';
import type { KvOperation } from '../kv/operation.js';
import { executeKvOperation } from '../kv/store.js';
import { broadcastHeartbeat } from './heartbeat-round.js';
import { MICROS_PER_MS } from '../../sim/time.js';
import { hasCommittedInCurrentTerm, progressOf, quorumValue, type PendingRead, type RaftState } from './state.js';

type Context = RaftContext;

/**
 * A linearizable read at the leader (dissertation §6.4, ReadIndex):
 * 1. the leader must have committed an entry of its own term, or its commit index may be stale;
 * 2. it records its commit index as the read index;
 * 3. it confirms it is still leader with a heartbeat round acknowledged by a quorum;
 * 4. it answers once it has applied up to the read index.
 * In lease mode step 3 is skipped while the lease (see `maybeServeReads`) runs.
 */
export function handleRead(state: RaftState, context: Context, requestId: number, operation: KvOperation): void {
  if (state.role !== 'leader') fail(`${state.role} ${state.id} serves a read`);
  if (operation.f !== 'read') fail(`read path got ${operation.f}`);
  if (state.options.unsafeStaleReads) {
    context.reply(requestId, executeKvOperation(state.kv, operation));
    return;
  }
  if (!hasCommittedInCurrentTerm(state)) {
    context.mark('read-waits-for-term-commit');
    state.earlyReads.push({ requestId, operation });
    return;
  }
  if (isLeaseValid(state, context)) {
    serveNow(state, context, requestId, operation);
    return;
  }
  const round = broadcastHeartbeat(state, context);
  state.pendingReads.push({ requestId, operation, readIndex: state.commitIndex, round });
  maybeServeReads(state, context);
}

/** Once the term's first entry commits, the reads that waited for it proceed together. */
export function maybeServeEarlyReads(state: RaftState, context: Context): void {
  if (state.earlyReads.length === 0 || !hasCommittedInCurrentTerm(state)) return;
  const reads = state.earlyReads;
  state.earlyReads = [];
  if (isLeaseValid(state, context)) {
    for (const read of reads) serveNow(state, context, read.requestId, read.operation);
    return;
  }
  // One round confirms them all.
  const round = broadcastHeartbeat(state, context);
  for (const read of reads) {
    state.pendingReads.push({ requestId: read.requestId, operation: read.operation, readIndex: state.commitIndex, round });
  }
  maybeServeReads(state, context);
}

/** A read under a valid lease: the leader's state machine is current, answer from it. */
function serveNow(state: RaftState, context: Context, requestId: number, operation: KvOperation): void {
  assert(state.lastApplied === state.commitIndex, 'leader applies everything it commits');
  context.mark('read-served-by-lease');
  context.reply(requestId, executeKvOperation(state.kv, operation));
}

function isLeaseValid(state: RaftState, context: Context): boolean {
  return state.options.readMode === 'lease' && context.now < state.leaseExpiresAt;
}

/**
 * Answers the reads whose round a quorum acknowledged. In lease mode, a quorum-acknowledged
 * round sent at local time t also extends the lease to t + leaseMs: each acknowledging follower
 * heard from us after t and will refuse votes for a minimum election timeout (`isInLease`), so no
 * other leader can exist before then — if every clock measures time at the same rate.
 */
export function maybeServeReads(state: RaftState, context: Context): void {
  const lease = state.options.readMode === 'lease';
  if (state.pendingReads.length === 0 && !lease) return;
  const acknowledged = quorumAcknowledgedRound(state);
  if (lease) extendLease(state, acknowledged);
  // Oldest first; shift() rather than splice(), which allocates an array of what it removes.
  const reads = state.pendingReads;
  while (reads.length > 0 && (reads[0] as PendingRead).round <= acknowledged) {
    const read = reads.shift() as PendingRead;
    if (read.readIndex > state.lastApplied) fail(`read index ${read.readIndex} beyond applied ${state.lastApplied}`);
    context.mark('read-served-by-read-index');
    context.reply(read.requestId, executeKvOperation(state.kv, read.operation));
  }
}

function extendLease(state: RaftState, acknowledged: number): void {
  const sentAt = state.roundSentAt.get(acknowledged);
  if (sentAt !== undefined) {
    state.leaseExpiresAt = Math.max(state.leaseExpiresAt, sentAt + state.options.leaseMs * MICROS_PER_MS);
  }
  // Rounds at or below the acknowledged one can never extend the lease further.
  for (const round of state.roundSentAt.keys()) {
    if (round > acknowledged) break;
    state.roundSentAt.delete(round);
  }
}

/** The highest heartbeat round that a quorum (the leader included) has acknowledged. */
function quorumAcknowledgedRound(state: RaftState): number {
  const rounds = state.quorumScratch;
  const peers = state.peers;
  rounds[0] = state.heartbeatRound;
  for (let i = 0; i < peers.length; i++) rounds[i + 1] = progressOf(state, peers[i] as NodeId).acknowledgedRound;
  return quorumValue(rounds, peers.length + 1, state.quorum);
}

/** A leader stepping down: reads that never ran had no effect, so they are redirected. */
export function failPendingReads(state: RaftState, context: Context): void {
  const response = { status: 'redirect', leaderHint: state.leaderId === state.id ? null : state.leaderId } as const;
  if (state.earlyReads.length + state.pendingReads.length > 0) context.mark('reads-redirected-on-step-down');
  for (const read of state.earlyReads) context.reply(read.requestId, response);
  for (const read of state.pendingReads) context.reply(read.requestId, response);
  state.earlyReads = [];
  state.pendingReads = [];
}
