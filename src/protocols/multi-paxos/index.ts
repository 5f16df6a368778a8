import type { Protocol } from '../../protocol/protocol.js';
import { PAXOS_MARKS, PAXOS_MESSAGES, PAXOS_TIMERS, type PaxosMark, type PaxosTimer } from './declarations.js';
import { paxosObservers, paxosStepFilter } from './invariants.js';
import type { PaxosMessage } from './messages.js';
import { initPaxos, onPaxosClientRequest, onPaxosMessage, onPaxosTimer } from './node.js';
import { PAXOS_OPTIONS, type PaxosOptions } from './options.js';
import { renderBallot } from './ballot.js';
import { renderPaxosMessage } from './render.js';
import { chosenThrough, type PaxosState } from './state.js';

/**
 * Multi-Paxos (Lamport, "Paxos Made Simple" §3; van Renesse & Altinbuken, "Paxos Made
 * Moderately Complex") serving the shared key-value service. See docs/multi-paxos.md.
 */
export const multiPaxosProtocol: Protocol<PaxosState, PaxosMessage, PaxosOptions, PaxosTimer, PaxosMark> = {
  name: 'multi-paxos',
  description: 'Multi-Paxos (one phase 1 for all slots, pipelined phase 2, no-op hole filling, snapshots, log or lease reads) serving a key-value store',
  options: PAXOS_OPTIONS,
  messages: PAXOS_MESSAGES,
  timers: PAXOS_TIMERS,
  marks: PAXOS_MARKS,
  init: initPaxos,
  onMessage: onPaxosMessage,
  onTimer: onPaxosTimer,
  onClientRequest: onPaxosClientRequest,
  // Client sessions: a retried (clientId, sequence) is applied at most once.
  deduplicatesRetries: true,
  isLeader: (state) => state.role === 'leader',
  summarizeState: (state) => ({
    role: state.quarantined !== null ? 'quarantined' : state.role,
    epoch: state.promised,
    leader: state.leaderId,
    commit: chosenThrough(state),
    detail: `promised ${renderBallot(state.promised)}, applied ${state.applied}, open ${state.open.size}`,
  }),
  replicaData: (state) => (state.quarantined !== null ? undefined : state.kv.data),
  renderMessage: renderPaxosMessage,
  observers: paxosObservers,
  stepFilter: paxosStepFilter,
};

export type { PaxosMessage, Value, Proposal, Slot, Snapshot } from './messages.js';
export type { PaxosOptions, PaxosReadMode } from './options.js';
export { PAXOS_OPTIONS, DEFAULT_PAXOS_OPTIONS } from './options.js';
export type { PaxosState } from './state.js';
export { renderPaxosMessage, renderPaxosState } from './render.js';
export { paxosObservers, paxosStepFilter } from './invariants.js';
