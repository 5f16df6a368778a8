import type { Protocol } from '../../protocol/protocol.js';
import { ZAB_MARKS, ZAB_MESSAGES, ZAB_TIMERS, type ZabMark, type ZabTimer } from './declarations.js';
import { zabObservers, zabStepFilter } from './invariants.js';
import type { ZabMessage } from './messages.js';
import { initZab, onZabClientRequest, onZabMessage, onZabTimer } from './node.js';
import { ZAB_OPTIONS, type ZabOptions } from './options.js';
import { renderZabMessage } from './render.js';
import { roleName } from './roles.js';
import type { ZabState } from './state.js';
import { renderZxid } from './zxid.js';

/**
 * Zab, ZooKeeper's atomic broadcast (Junqueira, Reed, Serafini, DSN 2011, and ZooKeeper's own
 * implementation): Fast Leader Election, discovery, synchronization and broadcast, serving the
 * shared key-value service. See docs/zab.md.
 */
export const zabProtocol: Protocol<ZabState, ZabMessage, ZabOptions, ZabTimer, ZabMark> = {
  name: 'zab',
  description: 'Zab atomic broadcast (FLE, discovery, DIFF/TRUNC/SNAP sync, local or sync reads) serving a key-value store',
  options: ZAB_OPTIONS,
  messages: ZAB_MESSAGES,
  timers: ZAB_TIMERS,
  marks: ZAB_MARKS,
  init: initZab,
  onMessage: onZabMessage,
  onTimer: onZabTimer,
  onClientRequest: onZabClientRequest,
  // Client sessions: a retried (clientId, sequence) is applied at most once.
  deduplicatesRetries: true,
  isLeader: (state) => state.role === 'leading',
  summarizeState: (state) => ({
    role: roleName(state),
    epoch: state.currentEpoch,
    leader: state.leaderId,
    commit: state.commitZxid,
    detail: `accepted ${state.acceptedEpoch}, last ${renderZxid(state.history.lastZxid)}, commit ${renderZxid(state.commitZxid)}`,
  }),
  replicaData: (state) => (state.health === 'quarantined' ? undefined : state.kv.data),
  renderMessage: renderZabMessage,
  observers: zabObservers,
  stepFilter: zabStepFilter,
};

export type { ZabMessage, Txn, Snapshot } from './messages.js';
export type { ZabOptions, ZabReadMode } from './options.js';
export { DEFAULT_ZAB_OPTIONS, ZAB_OPTIONS } from './options.js';
export type { ZabContext, ZabMark, ZabTimer } from './declarations.js';
export type { ZabState } from './state.js';
export { renderZabMessage, renderZabState } from './render.js';
export { zabObservers, zabStepFilter } from './invariants.js';
