import type { Protocol } from '../../protocol/protocol.js';
import { raftObservers, raftStepFilter } from './invariants.js';
import type { RaftMessage } from './messages.js';
import { initRaft, onRaftClientRequest, onRaftMessage, onRaftTimer } from './node.js';
import { RAFT_OPTIONS, type RaftOptions } from './options.js';
import { RAFT_MARKS, RAFT_MESSAGES, RAFT_TIMERS, type RaftMark, type RaftTimer } from './declarations.js';
import { renderRaftMessage } from './render.js';
import type { RaftState } from './state.js';

/**
 * Raft as in the paper and Ongaro's dissertation, serving the shared key-value service. See
 * docs/raft.md for what is implemented, the options and the invariants.
 */
export const raftProtocol: Protocol<RaftState, RaftMessage, RaftOptions, RaftTimer, RaftMark> = {
  name: 'raft',
  description: 'Raft consensus (pre-vote, check-quorum, snapshots, ReadIndex/lease reads) serving a key-value store',
  options: RAFT_OPTIONS,
  messages: RAFT_MESSAGES,
  timers: RAFT_TIMERS,
  marks: RAFT_MARKS,
  init: initRaft,
  onMessage: onRaftMessage,
  onTimer: onRaftTimer,
  onClientRequest: onRaftClientRequest,
  // Client sessions: a retried (clientId, sequence) is applied at most once.
  deduplicatesRetries: true,
  isLeader: (state) => state.role === 'leader',
  summarizeState: (state) => ({
    role: state.health.kind === 'quarantined' ? 'quarantined' : state.role,
    epoch: state.currentTerm,
    leader: state.leaderId,
    commit: state.commitIndex,
    detail: `log ${state.log.lastIndex}, applied ${state.lastApplied}`,
  }),
  replicaData: (state) => (state.health.kind === 'quarantined' ? undefined : state.kv.data),
  renderMessage: renderRaftMessage,
  observers: raftObservers,
  stepFilter: raftStepFilter,
};

export type { RaftMessage, LogEntry, Snapshot } from './messages.js';
export type { RaftOptions, ReadMode } from './options.js';
export { DEFAULT_RAFT_OPTIONS, parseRaftOptions, RAFT_OPTIONS } from './options.js';
export type { RaftContext, RaftMark, RaftTimer } from './declarations.js';
export type { RaftState, Role, Health } from './state.js';
export { renderRaftMessage, renderRaftState, renderEntry } from './render.js';
export { raftObservers, raftStepFilter } from './invariants.js';
