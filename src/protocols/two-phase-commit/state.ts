import type { NodeId } from '../../protocol/effects.js';
import type { Micros } from '../../sim/time.js';
import type { Decision, Write } from './messages.js';
import type { TpcOptions } from './options.js';

/** Node 0 coordinates; every other node is a participant holding part of the accounts. */
export const COORDINATOR: NodeId = 0;

/** A transaction as the coordinator tracks it until every participant has acknowledged. */
export interface CoordinatorTxn {
  id: number;
  requestId: number;
  read: boolean;
  /** The writes for each participant involved (empty lists for a read). */
  writes: Map<NodeId, Write[]>;
  votes: Map<NodeId, Record<string, number> | null>;
  startedAt: Micros;
  decision: Decision | undefined;
  acked: Set<NodeId>;
}

export interface PreparedTxn {
  writes: Write[];
  read: boolean;
  since: Micros;
}

/** What a participant did with a transaction: kept so that duplicates and the observers can tell. */
export type Outcome = {
  decision: Decision;
  /** The writes this participant applied (for a commit). */
  applied: Write[];
};

export interface TpcState {
  options: TpcOptions;
  id: NodeId;
  nodeCount: number;
  // --- coordinator
  epoch: number;
  nextInEpoch: number;
  txns: Map<number, CoordinatorTxn>;
  /** Planted bug only: commit decisions sent but not yet logged. */
  unloggedDecisions: number[];
  // --- participant
  balances: Map<string, number>;
  prepared: Map<number, PreparedTxn>;
  /** Account → the transaction holding it; `*` is a read's lock on all of this node's accounts. */
  locks: Map<string, number>;
  outcomes: Map<number, Outcome>;
  /** The same outcomes in the order they were reached, so observers read only what is new. */
  outcomeLog: [number, Outcome][];
}

/** Transaction ids: the coordinator's epoch (bumped and persisted at every start) and a count. */
export const TXNS_PER_EPOCH = 1_000_000;

/** Which participant holds `a<i>`: accounts are spread round-robin over nodes 1..n-1. */
export function ownerOf(account: string, nodeCount: number): NodeId {
  const index = Number(account.slice(1));
  return 1 + (index % (nodeCount - 1));
}

export const ALL_ACCOUNTS_LOCK = '*';
