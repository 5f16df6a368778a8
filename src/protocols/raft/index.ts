import type { Protocol } from '../../protocol/protocol.js';
import { raftObservers, raftStepFilter } from './invariants.js';
import type { RaftMessage } from './messages.js';
import { initRaft, onRaftClientRequest, onRaftMessage, onRaftTimer } from './node.js';
import { parseRaftOptions, type RaftOptions } from './options.js';
import { renderRaftMessage } from './render.js';
import type { RaftState } from './state.js';

/**
 * Raft as in the paper and Ongaro's dissertation, serving the shared key-value service. See
 * docs/raft.md for what is implemented, the options and the invariants.
 */
export const raftProtocol: Protocol<RaftState, RaftMessage, RaftOptions> = {
  name: 'raft',
  description: 'Raft consensus (pre-vote, check-quorum, snapshots, ReadIndex/lease reads) serving a key-value store',
  parseOptions: parseRaftOptions,
  init: initRaft,
  onMessage: onRaftMessage,
  onTimer: onRaftTimer,
  onClientRequest: onRaftClientRequest,
  // Client sessions: a retried (clientId, sequence) is applied at most once.
  deduplicatesRetries: true,
  isLeader: (state) => state.role === 'leader',
  renderMessage: renderRaftMessage,
  observers: raftObservers,
  stepFilter: raftStepFilter,
};

export type { RaftMessage, LogEntry, Snapshot } from './messages.js';
export type { RaftOptions, ReadMode } from './options.js';
export { DEFAULT_RAFT_OPTIONS, parseRaftOptions } from './options.js';
export type { RaftState, Role, Health } from './state.js';
export { renderRaftMessage, renderRaftState, renderEntry } from './render.js';
export { raftObservers, raftStepFilter } from './invariants.js';
