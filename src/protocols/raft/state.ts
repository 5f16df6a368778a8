import type { NodeId } from '../../protocol/effects.js';
import { fail } from '../../util/assert.js';
import type { KvOperation } from '../kv/operation.js';
import { createKvStore, type KvStore } from '../kv/store.js';
import { RaftLog } from './log.js';
import type { Index, LogEntry, Snapshot, Term } from './messages.js';
import type { Micros } from '../../sim/time.js';
import type { RaftOptions } from './options.js';
import type { Progress } from './progress.js';

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/**
 * What the node's disk allowed it to trust when it started (see docs/raft.md, "Corrupt records"):
 * - `healthy`: everything it ever persisted is intact;
 * - `recovering`: some log or snapshot records were corrupt and were discarded; until it has
 *   learned a commit index of at least `untilIndex` (the highest index it may have acknowledged)
 *   it neither votes nor campaigns, because its log may lack entries it promised to keep;
 * - `quarantined`: its term or vote record was corrupt; it might have voted in a term it cannot
 *   name, so it never votes, campaigns or acknowledges again (it behaves as a failed node).
 */
export type Health =
  | { kind: 'healthy' }
  | { kind: 'recovering'; untilIndex: Index }
  | { kind: 'quarantined'; reason: string };

/** A linearizable read waiting at the leader for its heartbeat round to be acknowledged. */
export interface PendingRead {
  requestId: number;
  operation: KvOperation;
  readIndex: Index;
  round: number;
}

/** A read that arrived before the leader committed an entry of its own term. */
export interface EarlyRead {
  requestId: number;
  operation: KvOperation;
}

/**
 * What changed during the current step, for the invariant observers (reset at every entry point,
 * so observers can check incrementally instead of rescanning logs).
 */
export interface StepRecord {
  /** Entries applied to the state machine in this step, in order. */
  applied: LogEntry[];
  /** The lowest log index written, truncated or reset in this step (Infinity when none). */
  logChangedFrom: Index;
  /** A snapshot installed from the leader in this step. */
  installedSnapshot: Snapshot | null;
}

/** One Raft node's memory. Durable fields are mirrored on disk; the rest is rebuilt on restart. */
export interface RaftState {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  /** Votes or acknowledgements (the node's own included) that make a majority. */
  readonly quorum: number;
  readonly options: RaftOptions;
  health: Health;
  /** This incarnation started from a disk with a term on it (a restart, not a first boot). */
  bootedFromDisk: boolean;

  // Durable (hard state and log).
  currentTerm: Term;
  votedFor: NodeId | null;
  log: RaftLog;
  /** The snapshot the log starts after, with its data (null before the first one). */
  snapshot: Snapshot | null;

  // Volatile.
  role: Role;
  leaderId: NodeId | null;
  commitIndex: Index;
  lastApplied: Index;
  kv: KvStore;
  /** This node's randomized election timeout, drawn anew at each role change. */
  electionTimeoutMicros: Micros;
  /** Local time of the last message from the current leader (null: none this term). */
  lastLeaderContactAt: Micros | null;
  /** Grants and refusals in the current (pre-)campaign. */
  votesGranted: Set<NodeId>;
  votesRefused: Set<NodeId>;

  // Leader only.
  /** Indexed by peer id (ids are small integers; the leader's own slot stays empty). */
  progress: Progress[];
  /** Log index → the request waiting for that entry to apply. */
  pendingWrites: Map<Index, number>;
  earlyReads: EarlyRead[];
  pendingReads: PendingRead[];
  heartbeatRound: number;
  /** Lease mode: local send time of each heartbeat round not yet acknowledged by a quorum. */
  roundSentAt: Map<number, Micros>;
  /** Lease mode: local time until which reads may be served without a round. */
  leaseExpiresAt: Micros;

  // Any role, `followerReads` only.
  /** Client → its write this node forwarded to the leader, answered when this node applies it. */
  forwardedWrites: Map<number, ForwardedWrite>;
  /**
   * Local reads wait until the node has applied this far: its last log index at restart, which
   * bounds what it applied (and so what a client read from it) before the crash. Monotonic reads
   * for a client that stays on this node depend on it.
   */
  localReadFloor: Index;

  /** Reused by quorum computations, so counting acknowledgements allocates nothing. */
  readonly quorumScratch: number[];

  step: StepRecord;
  /** Set by every persist; the step then ends with a batch-end record (see storage.ts). */
  wroteThisStep: boolean;
}

export interface ForwardedWrite {
  sequence: number;
  requestId: number;
}

export function createRaftState(id: NodeId, nodes: readonly NodeId[], options: RaftOptions): RaftState {
  const peers = nodes.filter((node) => node !== id);
  return {
    id,
    peers,
    quorum: Math.floor(nodes.length / 2) + 1,
    options,
    health: { kind: 'healthy' },
    bootedFromDisk: false,
    currentTerm: 0,
    votedFor: null,
    log: new RaftLog(),
    snapshot: null,
    role: 'follower',
    leaderId: null,
    commitIndex: 0,
    lastApplied: 0,
    kv: createKvStore(),
    electionTimeoutMicros: 0,
    lastLeaderContactAt: null,
    votesGranted: new Set(),
    votesRefused: new Set(),
    progress: [],
    pendingWrites: new Map(),
    earlyReads: [],
    pendingReads: [],
    heartbeatRound: 0,
    roundSentAt: new Map(),
    leaseExpiresAt: 0,
    forwardedWrites: new Map(),
    localReadFloor: 0,
    quorumScratch: new Array<number>(nodes.length).fill(0),
    step: { applied: [], logChangedFrom: Infinity, installedSnapshot: null },
    wroteThisStep: false,
  };
}

/** Whether the leader has committed an entry of its own term (needed before serving reads). */
export function hasCommittedInCurrentTerm(state: RaftState): boolean {
  return state.log.term(state.commitIndex) === state.currentTerm;
}

export function pendingRequestCount(state: RaftState): number {
  return state.pendingWrites.size + state.pendingReads.length + state.earlyReads.length;
}

export function noteLogChange(state: RaftState, from: Index): void {
  if (from < state.step.logChangedFrom) state.step.logChangedFrom = from;
}

/**
 * The highest value that a quorum reaches: the `quorum`-th highest of `values[0..count)`, which
 * it sorts in place (descending). Insertion sort: clusters are a handful of nodes, and this runs
 * on every acknowledgement, so it must neither allocate nor call a comparator.
 */
export function quorumValue(values: number[], count: number, quorum: number): number {
  if (quorum < 1 || quorum > count) fail(`quorum ${quorum} of ${count}`);
  for (let i = 1; i < count; i++) {
    const value = values[i] as number;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) < value) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = value;
  }
  return values[quorum - 1] as number;
}

/** The leader's record of `peer` (every peer has one while the node leads). */
export function progressOf(state: RaftState, peer: NodeId): Progress {
  const progress = state.progress[peer];
  if (progress === undefined) fail(`leader ${state.id} has no progress for ${peer}`);
  return progress;
}
