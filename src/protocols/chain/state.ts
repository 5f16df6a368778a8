import type { ClientResponse } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { Micros } from '../../sim/time.js';
import type { KvStore } from '../kv/index.js';
import type { ChainConfig, Update } from './messages.js';
import type { ChainOptions } from './options.js';

/** Node 0 is the configuration master; nodes 1… are the replicas. */
export const MASTER: NodeId = 0;

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
  stateSent: { to: NodeId; seq: number; at: Micros } | null;
  /** The tail answers reads only before this (local time). */
  leaseUntil: Micros;
  /** Planted bug only: the next update from a new predecessor is taken as the next in order. */
  takeNextAsNext: boolean;
}

export interface MasterState {
  config: ChainConfig;
  lastHeard: Map<NodeId, Micros>;
  /** When each member was (last) added, so a node still waiting for its state is not re-added at once. */
  addedAt: Map<NodeId, Micros>;
}

export interface ChainState {
  options: ChainOptions;
  id: NodeId;
  master: MasterState | null;
  replica: ReplicaState | null;
}

export function replicas(nodes: readonly NodeId[]): NodeId[] {
  return nodes.filter((node) => node !== MASTER);
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
