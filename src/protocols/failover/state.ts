import type { NodeId } from '../../protocol/effects.js';
import type { Micros } from '../../sim/time.js';
import type { KvStore } from '../kv/index.js';
import type { HeartbeatHistory } from './detector.js';
import type { FailoverOptions } from './options.js';

/** Node 0 is the storage the primary writes to; node 1 is the failover manager; the rest are servers. */
export const STORAGE: NodeId = 0;
export const MANAGER: NodeId = 1;
export const FIRST_SERVER: NodeId = 2;

/** Operations a primary has sent to the storage and not yet answered. */
export const PENDING_OPS_MAX = 1024;

export type FailoverRole = 'storage' | 'manager' | 'primary' | 'standby';

export interface PendingOp {
  requestId: number;
  sentAt: Micros;
}

export interface StorageState {
  store: KvStore;
  /** The highest epoch fenced (or seen on an accepted operation); older ones are refused. */
  epoch: number;
  /** Who fenced `epoch` (the primary of that epoch, as the storage learned it). */
  epochHolder: NodeId | null;
  /** Writes accepted so far: the position of the last one (persisted with the data). */
  writes: number;
  /** The last write accepted: its epoch and the primary that sent it (for the observers). */
  lastWrite: { epoch: number; from: NodeId } | null;
}

export interface ManagerState {
  epoch: number;
  primary: NodeId | null;
  /** The primary's heartbeats, for the detector (reset at every failover). */
  history: HeartbeatHistory | null;
  /** When each server was last heard from (standbys are only promoted if heard recently). */
  lastHeard: Map<NodeId, Micros>;
  /** Suspicions so far (volatile; the meter counts them). */
  suspicions: number;
  /** The node suspected last. */
  lastSuspected: NodeId | null;
}

export interface ServerState {
  /** The highest epoch this server knows of. */
  epoch: number;
  primary: NodeId | null;
  /** A primary serves only once the storage confirmed its fence. */
  fenced: boolean;
  fenceSentAt: Micros | null;
  pending: Map<number, PendingOp>;
  nextOpId: number;
  /** The highest storage position of a write this server had acknowledged (for the observers). */
  highestAcked: number;
}

export interface FailoverState {
  options: FailoverOptions;
  id: NodeId;
  role: FailoverRole;
  storage: StorageState | null;
  manager: ManagerState | null;
  server: ServerState | null;
}

export function servers(nodes: readonly NodeId[]): NodeId[] {
  return nodes.filter((node) => node >= FIRST_SERVER);
}
