import type { NodeId } from '../../protocol/effects.js';
import type { KvStore } from '../kv/index.js';
import type { Entry } from './messages.js';
import type { PbOptions } from './options.js';

/**
 * - `normal`: serving view `view`;
 * - `view-change`: promised not to accept anything from views below `view`, waiting for its start;
 * - `failed`: the disk held a corrupt record, so this node cannot vouch for its log; it stays
 *   out of every quorum rather than risk forgetting an entry it once acknowledged.
 */
export type PbStatus = 'normal' | 'view-change' | 'failed';

export interface PbState {
  options: PbOptions;
  id: NodeId;
  nodeCount: number;
  // durable (persisted before any message that depends on it)
  view: number;
  lastNormalView: number;
  log: Entry[];
  // volatile
  status: PbStatus;
  commit: number;
  applied: number;
  store: KvStore;
  /** Primary only: for each node, the log length known to match ours. */
  matched: number[];
  /** Primary only: which client request waits for which log position. */
  waiting: Map<number, number[]>;
  /** New primary only: DoViewChange messages received for `view`, by sender. */
  viewChangeVotes: Map<NodeId, { lastNormalView: number; log: Entry[]; commit: number }>;
}

export function primaryOf(view: number, nodeCount: number): NodeId {
  return view % nodeCount;
}

export function isPrimary(state: PbState): boolean {
  return state.status === 'normal' && primaryOf(state.view, state.nodeCount) === state.id;
}

export function majority(nodeCount: number): number {
  return Math.floor(nodeCount / 2) + 1;
}
