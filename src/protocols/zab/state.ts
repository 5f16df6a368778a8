import type { NodeId } from '../../protocol/effects.js';
import { createKvStore, type KvStore } from '../kv/store.js';
import { History } from './history.js';
import type { Proposal, Snapshot, Txn, Vote } from './messages.js';
import type { ZabOptions } from './options.js';
import type { Epoch, Zxid } from './zxid.js';

/** FLE's state names, plus the phase within following or leading. */
export type Role = 'looking' | 'following' | 'leading';
export type Phase = 'election' | 'discovery' | 'sync' | 'broadcast';

/**
 * What the node's disk allowed it to trust when it started:
 * - `healthy`: everything it persisted is intact;
 * - `recovering`: some history was corrupt and was discarded; it may have acknowledged txns it no
 *   longer holds, so its ACKEPOCH must not count towards a new leader's quorum (the leader would
 *   be choosing a history without looking at what this node promised) until an established
 *   leader has synchronized it;
 * - `quarantined`: an epoch record was corrupt; it cannot tell which epochs it promised, so it
 *   never takes part again (it behaves as a failed node).
 */
export type Health = 'healthy' | 'recovering' | 'quarantined';

/** A client request waiting at this server for its txn to be applied here. */
export interface PendingRequest {
  sequence: number;
  requestId: number;
}

/** What the leader knows of one follower (a learner, in ZooKeeper's words). */
export interface Learner {
  /** `epoch`: LEADERINFO sent; `syncing`: sync sent, NEWLEADER not yet acknowledged; `active`: receives proposals. */
  phase: 'epoch' | 'syncing' | 'active';
  /** From its ACKEPOCH. */
  ackEpoch: { lastZxid: Zxid; snapshotZxid: Zxid; epochs: [Epoch, Zxid][] } | null;
  /** The zxid its synchronization ends at. */
  syncTarget: Zxid;
  /** Highest zxid it holds durably (active learners). */
  acked: Zxid;
  /** `acked` at the last tick, to see whether it progressed. */
  ackedAtLastTick: Zxid;
  /** Ticks since it was last heard from. */
  silentTicks: number;
}

export interface LeaderState {
  /** The new epoch, 0 until a quorum of FOLLOWERINFO chose it. */
  epoch: Epoch;
  /** acceptedEpoch of each server (this one included) that sent FOLLOWERINFO. */
  infos: Map<NodeId, Epoch>;
  /** Servers whose ACKEPOCH counted (this one included). */
  epochAcks: Set<NodeId>;
  /** Whether a quorum acknowledged the epoch (currentEpoch persisted, synchronization started). */
  epochAcknowledged: boolean;
  learners: Map<NodeId, Learner>;
  /** Servers that acknowledged NEWLEADER (this one included). */
  newLeaderAcks: Set<NodeId>;
  established: boolean;
  /** The counter of the last zxid proposed in this epoch. */
  counter: number;
}

/** What changed in the current step, for the observers (reset at every entry point). */
export interface StepRecord {
  /** Txns applied (delivered) in this step, in order. */
  applied: Txn[];
  /** The lowest zxid removed from the history in this step (Infinity when none). */
  removedFrom: Zxid;
  /** Txns this node proposed as leader in this step. */
  proposed: Txn[];
  /** The leader became established in this step. */
  established: boolean;
  /** A snapshot installed from the leader in this step (SNAP). */
  installedSnapshot: Snapshot | null;
}

/** One Zab server's memory. Durable fields are mirrored on disk; the rest is rebuilt on restart. */
export interface ZabState {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  readonly quorum: number;
  readonly options: ZabOptions;
  health: Health;

  // Durable.
  acceptedEpoch: Epoch;
  currentEpoch: Epoch;
  history: History;

  // Volatile.
  role: Role;
  phase: Phase;
  leaderId: NodeId | null;
  /** Everything up to here is committed and applied to `kv`. */
  commitZxid: Zxid;
  kv: KvStore;
  /** Ticks since the phase began (init limit) or since the leader was last heard (sync limit). */
  ticks: number;
  silentTicks: number;
  /** The epoch of the LEADERINFO this follower accepted (0 before). */
  followingEpoch: Epoch;
  /** Whether this follower's ACKEPOCH for `followingEpoch` counted (resent the same way). */
  ackEpochCounted: boolean;
  /** The epoch whose synchronization this follower last applied (0: none since it started following). */
  syncedEpoch: Epoch;

  // FLE.
  round: number;
  vote: Vote;
  /** Votes of looking servers in this round (this one included). */
  votes: Map<NodeId, Vote>;
  /** Votes of servers that are following or leading, with the epoch they are in. */
  outOfElection: Map<NodeId, { vote: Vote; state: 'following' | 'leading' }>;

  leader: LeaderState | null;

  /** Client → its request waiting here for its txn to apply. */
  pending: Map<number, PendingRequest>;
  /** Client → sequence of its last request this server answered (sequential reads, see client.ts). */
  answered: Map<number, number>;
  /** Follower: proposals that arrived ahead of their predecessor, by the zxid they follow (bounded by maxRetransmit). */
  early: Map<Zxid, Proposal>;
  /** Txns that unsafeAckNewLeaderBeforeSync holds in memory until after acknowledging NEWLEADER. */
  unsyncedTxns: Txn[];

  step: StepRecord;
  wroteThisStep: boolean;
}

export function createZabState(id: NodeId, nodes: readonly NodeId[], options: ZabOptions): ZabState {
  return {
    id,
    peers: nodes.filter((node) => node !== id),
    quorum: Math.floor(nodes.length / 2) + 1,
    options,
    health: 'healthy',
    acceptedEpoch: 0,
    currentEpoch: 0,
    history: new History(),
    role: 'looking',
    phase: 'election',
    leaderId: null,
    commitZxid: 0,
    kv: createKvStore(),
    ticks: 0,
    silentTicks: 0,
    followingEpoch: 0,
    ackEpochCounted: false,
    syncedEpoch: 0,
    round: 0,
    vote: { leader: id, zxid: 0, peerEpoch: 0 },
    votes: new Map(),
    outOfElection: new Map(),
    leader: null,
    pending: new Map(),
    answered: new Map(),
    early: new Map(),
    unsyncedTxns: [],
    step: { applied: [], removedFrom: Infinity, proposed: [], established: false, installedSnapshot: null },
    wroteThisStep: false,
  };
}

/** The epoch a server is in, as messages carry it: the leader's new epoch, or the one it follows. */
export function activeEpoch(state: ZabState): Epoch {
  if (state.role === 'leading') return state.leader?.epoch ?? 0;
  if (state.role === 'following') return state.followingEpoch;
  return 0;
}

export function noteRemoved(state: ZabState, from: Zxid): void {
  if (from < state.step.removedFrom) state.step.removedFrom = from;
}

/** Whether this server serves clients: established leader, or follower told UPTODATE. */
export function isServing(state: ZabState): boolean {
  return state.phase === 'broadcast';
}
