import type { ClientResponse } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { Micros } from '../../sim/time.js';
import type { KvStore } from '../kv/index.js';
import type { RaftState } from '../raft/index.js';
import type { ChainConfig, Update } from './messages.js';
import type { ChainOptions } from './options.js';

/** Nodes 0..masters-1 are the configuration master group (a Raft group); the rest are the replicas. */
export function masterNodes(options: Pick<ChainOptions, 'masters'>): NodeId[] {
  return Array.from({ length: options.masters }, (_, index) => index);
}

/** The key of the configuration in the master group's replicated key-value store. */
export const CONFIG_KEY = '#chain-config';

/** Raft reads a master leader has outstanding to confirm tail heartbeats (a bound, not a hang: beyond it a heartbeat gets no lease). */
export const CONFIRMATIONS_MAX = 256;

/** Updates a replica has sent down and not yet seen acknowledged (the paper's Sent set). */
export const IN_FLIGHT_MAX = 4096;
/** Prefix hashes a replica keeps (one per applied update). */
export const APPLIED_MAX = 1_000_000;

export interface ReplicaState {
  config: ChainConfig | null;
  /** The configuration version at which this replica was (last) added; 0 after a restart. */
  joined: number;
  /** Whether the store is valid for that membership (an initial member, or a state transfer arrived). */
  hasState: boolean;
  store: KvStore;
  lastSeq: number;
  /** `hashes[i]` is the hash of the applied sequence through update `base + i`. */
  base: number;
  hashes: number[];
  inFlight: Update[];
  /** The highest acknowledgement from the successor, and when the last progress happened. */
  acked: number;
  progressAt: Micros;
  /** Head only: the client request behind each update not yet acknowledged, with its response. */
  pending: Map<number, { requestId: number; response: ClientResponse }>;
  /** A state transfer to a node added after this one, until that node acknowledges it. */
  stateSent: { to: NodeId; seq: number; at: Micros; nonce: number | null } | null;
  /** This incarnation started after a crash (its memory lost). */
  restarted: boolean;
  /** Drawn at each start: a restarted replica installs only a state sent in answer to its own fetch. */
  nonce: number;
  /** The tail answers reads only before this (local time). */
  leaseUntil: Micros;
  /** The highest local time this incarnation has seen (its clock is expected never to go back). */
  clockSeen: Micros;
  /** After the clock went back: confirmations of heartbeats sent at or before this are not trusted. */
  leaseFloor: Micros;
  /** Planted bug only: the next update from a new predecessor is taken as the next in order. */
  takeNextAsNext: boolean;
}

/**
 * A master node: a Raft node whose state machine holds the configuration (under CONFIG_KEY),
 * plus what it keeps while it is the acting master (the Raft leader that has committed an entry
 * of its term). Everything but the Raft state is volatile: a new acting master starts afresh.
 */
export interface MasterState {
  raft: RaftState;
  /** Raft took a step in this node's current step (its observers read Raft's record of that step only then). */
  raftStepped: boolean;
  /** The term in which this node last took over as the acting master (0: never); the clocks below start then. */
  actingTerm: number;
  lastHeard: Map<NodeId, Micros>;
  /** When each member was (last) added, so a node still waiting for its state is not moved again at once. */
  addedAt: Map<NodeId, Micros>;
  /** The reconfiguration proposed in this term and not yet answered by Raft. */
  proposal: { requestId: number; version: number } | null;
  proposalSequence: number;
  /** Raft read request id → the tail heartbeat it confirms. */
  confirmations: Map<number, { from: NodeId; sentAt: number }>;
  nextRequestId: number;
  /** The highest configuration version this node sent to the replicas as the acting master. */
  announced: number;
  /** The tail epoch (config.tailFrom) of the configuration this node applied last, and when (local time) it first applied it. */
  tailEpoch: { tailFrom: number; appliedAt: Micros };
}

export interface ChainState {
  options: ChainOptions;
  id: NodeId;
  masters: NodeId[];
  replicas: NodeId[];
  /** The configuration before any is committed (see initialConfig). */
  initial: ChainConfig;
  master: MasterState | null;
  replica: ReplicaState | null;
}

export function replicaNodes(nodes: readonly NodeId[], options: Pick<ChainOptions, 'masters'>): NodeId[] {
  return nodes.filter((node) => node >= options.masters);
}

/** The configuration before the master group has committed any: every replica, in id order, at version 1. */
export function initialConfig(replicas: readonly NodeId[]): ChainConfig {
  return { version: 1, chain: [...replicas], since: Object.fromEntries(replicas.map((node) => [String(node), 1])), tailFrom: 1 };
}

export function tailOf(config: ChainConfig): NodeId | undefined {
  return config.chain[config.chain.length - 1];
}

/** The hash of an applied sequence extended by one update (FNV-1a over the update's JSON). */
export function extendHash(previous: number, seq: number, text: string): number {
  let hash = (previous ^ seq) | 0;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash | 0;
}

export function hashAt(replica: ReplicaState, seq: number): number | undefined {
  return seq < replica.base ? undefined : replica.hashes[seq - replica.base];
}

export function predecessorOf(config: ChainConfig, node: NodeId): NodeId | undefined {
  const index = config.chain.indexOf(node);
  return index > 0 ? config.chain[index - 1] : undefined;
}

export function successorOf(config: ChainConfig, node: NodeId): NodeId | undefined {
  const index = config.chain.indexOf(node);
  return index >= 0 && index < config.chain.length - 1 ? config.chain[index + 1] : undefined;
}
