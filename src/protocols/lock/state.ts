import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { Micros } from '../../sim/time.js';
import type { RaftState } from '../raft/index.js';
import type { AccessKind, TableOperation } from './messages.js';
import type { LockOptions } from './options.js';

/** Node 0 is the resource; nodes 1..servers the lock servers; the rest are lock clients. */
export const RESOURCE: NodeId = 0;

/** The key of the lock table in the servers' replicated key-value store. */
export const TABLE_KEY = '#locks';

/** Bounds: workload requests queued at a lock client, requests a server relays, watches it holds. */
export const CLIENT_QUEUE_MAX = 64;
export const RELAYED_MAX = 4096;
export const WATCHES_MAX = 1024;

export type LockRole = 'resource' | 'server' | 'client';

export interface ResourceState {
  /** The guarded data: one integer per key (a counter), 0 when never written. */
  data: Map<string, number>;
  /** The highest fencing token seen per key (on any access in a critical section). */
  highest: Map<string, number>;
  /** Accesses accepted in critical sections so far (persisted with the data). */
  accepted: number;
  /** The last one accepted, for the observers. */
  lastAccess: { key: string; kind: AccessKind; token: number; from: NodeId } | null;
}

/** A lock server: a Raft node whose state machine holds the lock table, plus the leader's session bookkeeping. */
export interface ServerState {
  raft: RaftState;
  /** Raft request id → the lock client's request it relays (null: the server's own expiry proposal). */
  relayed: Map<number, { client: NodeId; id: number; session: number | null }>;
  nextRelayId: number;
  /** Leader only: when each session's last keepalive arrived (volatile: a new leader starts every clock afresh). */
  lastKeepalive: Map<number, Micros>;
  /** The term in which `lastKeepalive` was started. */
  leaderTerm: number;
  /** Sessions whose expiry this leader has proposed and not yet seen answered. */
  expiring: Set<number>;
  expirySequence: number;
  /** Leader only: clients waiting for an entry to go away. */
  watches: { lock: string; seq: number; client: NodeId }[];
  /** Raft took a step in this node's current step (its observers read Raft's record of that step only then). */
  raftStepped: boolean;
}

export type ClientPhase = 'opening' | 'idle' | 'plain-read' | 'creating' | 'waiting' | 'checking' | 'locked-read' | 'working' | 'writing' | 'releasing';

/** The operation a lock client is carrying out for a workload request. */
export interface CurrentOperation {
  request: ClientRequest;
  lock: string;
  delta: number;
  /** The entry created for it (its sequence number is the fencing token). */
  seq: number | null;
  /** The value read under the lock. */
  read: number | null;
}

export interface ClientState {
  /** The Raft client id this incarnation uses (node and incarnation: retries are applied once). */
  clientId: number;
  sequence: number;
  session: number | null;
  /** Local time until which the client trusts its lease. */
  leaseUntil: Micros;
  /** Where it sends lock-service requests and keepalives. */
  leaderGuess: NodeId;
  lastAlive: Micros;
  phase: ClientPhase;
  queue: ClientRequest[];
  current: CurrentOperation | null;
  /** The lock-service request awaiting its reply (resent with the same sequence). */
  outstanding: { id: number; operation: TableOperation; sequence: number; sentAt: Micros } | null;
  nextRequestId: number;
  /** The predecessor entry it watches while waiting, and when it last registered the watch. */
  watching: { lock: string; seq: number; sentAt: Micros } | null;
  /** The resource access awaiting its result. */
  access: { id: number; kind: AccessKind; sentAt: Micros } | null;
  nextAccessId: number;
  /** Grants received so far (for the liveness observer). */
  grants: number;
}

export interface LockState {
  options: LockOptions;
  id: NodeId;
  role: LockRole;
  servers: NodeId[];
  clients: NodeId[];
  resource: ResourceState | null;
  server: ServerState | null;
  client: ClientState | null;
}

export function serverNodes(options: LockOptions): NodeId[] {
  return Array.from({ length: options.servers }, (_, index) => index + 1);
}

export function clientNodes(nodes: readonly NodeId[], options: LockOptions): NodeId[] {
  return nodes.filter((node) => node > options.servers);
}
