import type { NodeId } from '../../protocol/effects.js';
import type { Micros } from '../../sim/time.js';
import { createKvStore, type KvCommand, type KvStore } from '../kv/store.js';
import { NO_BALLOT, type Ballot } from './ballot.js';
import type { AcceptedProposal, Proposal, Slot, Snapshot, Value } from './messages.js';
import type { PaxosOptions } from './options.js';
import { SlotTable } from './slot-table.js';

export type PaxosRole = 'follower' | 'candidate' | 'leader';

/** A client request a leader holds: waiting to be proposed, or proposed in a slot. */
export interface WaitingRequest {
  requestId: number;
  command: KvCommand;
}

/** A slot the leader proposed in its ballot and has not seen chosen yet. */
export interface OpenSlot {
  value: Value;
  /** The proposal sent for it, in the leader's ballot (shared by every message and acceptor record). */
  proposal: AcceptedProposal;
  /** Acceptors (other than the leader) that accepted it: bit `1 << node` per acceptor. */
  acks: number;
  /** How many bits `acks` has set. */
  ackCount: number;
  /** Local time of the last (re)transmission. */
  sentAt: Micros;
  /** The client request answered when the slot applies (it carries that request's command). */
  request: WaitingRequest | null;
}

/** Phase 1 in progress: the promises so far and, per slot, the highest-ballot value reported. */
export interface Preparing {
  from: Slot;
  /** Exclusive upper bound of the slots covered (Infinity: every slot, as Multi-Paxos does). */
  to: Slot;
  promised: Set<NodeId>;
  refused: Set<NodeId>;
  reported: Map<Slot, AcceptedProposal>;
}

/**
 * What changed in the current step, for the invariant observers (reset at every entry point).
 * Observers check incrementally from this instead of rescanning the node.
 */
export interface PaxosStep {
  /** Proposals this node's acceptor accepted (and persisted) in this step. */
  accepted: AcceptedProposal[];
  /** Phase 2a proposals this node sent as leader (first sends and retransmissions). */
  proposed: AcceptedProposal[];
  /** Slots applied to the state machine, in order. */
  applied: Proposal[];
  /** The ballot of a phase 1 this node started in this step (NO_BALLOT: none). */
  startedBallot: Ballot;
  /** A snapshot installed from another node (its slot), or 0. */
  installedSnapshot: Slot;
  /** Acceptor promises this node heard: pairs (acceptor, ballot it has promised at least). */
  heard: number[];
  /** Ballots of the prepares this node received (they were announced: a restart must not reuse them). */
  preparesReceived: Ballot[];
  /** Client commands this node received as leader (the values clients proposed). */
  clientCommands: KvCommand[];
}

/** One Multi-Paxos node: proposer, acceptor and learner. Durable fields are mirrored on disk. */
export interface PaxosState {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  readonly quorum: number;
  readonly options: PaxosOptions;
  /** A corrupt acceptor record makes a node unable to keep its promises: it stops taking part. */
  quarantined: string | null;

  // Durable: proposer round, acceptor promise and accepted values, learner snapshot.
  round: number;
  promised: Ballot;
  accepted: SlotTable<AcceptedProposal>;
  snapshot: Snapshot | null;

  // Volatile learner.
  /** Values known chosen above the snapshot (out of order allowed). */
  chosen: SlotTable<Value>;
  /** Every slot up to this is applied to `kv`. */
  applied: Slot;
  kv: KvStore;
  /** Local time of the last catch-up request (throttles them), or -Infinity. */
  catchUpAskedAt: Micros;

  // Volatile proposer.
  role: PaxosRole;
  /** This node's current ballot as a proposer (NO_BALLOT before its first phase 1). */
  ballot: Ballot;
  leaderId: NodeId | null;
  lastLeaderContactAt: Micros | null;
  /** Failed phase 1 attempts in a row (lengthens the randomized timeout: backoff). */
  failedAttempts: number;
  preparing: Preparing | null;

  // Leader only.
  open: SlotTable<OpenSlot>;
  /** The next slot to propose a new command in. */
  nextSlot: Slot;
  /** Slots up to this were recovered in phase 1; reads under a lease wait until they apply. */
  recoveredThrough: Slot;
  waiting: WaitingRequest[];
  /** Chosen slots whose request is answered once the slot applies (chosen out of order). */
  awaitingApply: Map<Slot, WaitingRequest>;
  /** Peers heard from since the last check-quorum firing. */
  heardFrom: Set<NodeId>;
  heartbeatRound: number;
  roundSentAt: Map<number, Micros>;
  acknowledgedRound: Map<NodeId, number>;
  leaseExpiresAt: Micros;

  step: PaxosStep;
  wroteThisStep: boolean;
}

export function createPaxosState(id: NodeId, nodes: readonly NodeId[], options: PaxosOptions): PaxosState {
  return {
    id,
    peers: nodes.filter((node) => node !== id),
    quorum: Math.floor(nodes.length / 2) + 1,
    options,
    quarantined: null,
    round: 0,
    promised: NO_BALLOT,
    accepted: new SlotTable(),
    snapshot: null,
    chosen: new SlotTable(),
    applied: 0,
    kv: createKvStore(),
    catchUpAskedAt: -Infinity,
    role: 'follower',
    ballot: NO_BALLOT,
    leaderId: null,
    lastLeaderContactAt: null,
    failedAttempts: 0,
    preparing: null,
    open: new SlotTable(),
    nextSlot: 1,
    recoveredThrough: 0,
    waiting: [],
    awaitingApply: new Map(),
    heardFrom: new Set(),
    heartbeatRound: 0,
    roundSentAt: new Map(),
    acknowledgedRound: new Map(),
    leaseExpiresAt: 0,
    step: { accepted: [], proposed: [], applied: [], startedBallot: NO_BALLOT, installedSnapshot: 0, heard: [], preparesReceived: [], clientCommands: [] },
    wroteThisStep: false,
  };
}

/** The first slot this node does not know to be chosen. */
export function firstUnchosen(state: PaxosState): Slot {
  return state.applied + 1 + countChosenAfterApplied(state);
}

function countChosenAfterApplied(state: PaxosState): number {
  let count = 0;
  while (state.chosen.has(state.applied + 1 + count)) count++;
  return count;
}

/** Every slot up to this is known chosen here (applied, or chosen and about to apply). */
export function chosenThrough(state: PaxosState): Slot {
  return firstUnchosen(state) - 1;
}

export function snapshotSlot(state: PaxosState): Slot {
  return state.snapshot === null ? 0 : state.snapshot.slot;
}

/** A stable identity of a value for comparisons: `noop` or `c<client>#<sequence>`. */
export function valueKey(value: Value): string {
  return value.kind === 'noop' ? 'noop' : `c${value.clientId}#${value.sequence}`;
}

export function pendingRequestCount(state: PaxosState): number {
  let proposed = 0;
  const open = state.open;
  for (let slot = open.first; slot < open.end; slot++) if ((open.get(slot)?.request ?? null) !== null) proposed++;
  return proposed + state.waiting.length + state.awaitingApply.size;
}
