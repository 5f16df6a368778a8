import { fail } from '../../util/assert.js';
import { applyKvCommand, snapshotKvStore } from '../kv/store.js';
import type { ZabContext } from './declarations.js';
import type { Snapshot, Txn } from './messages.js';
import type { ZabState } from './state.js';
import { deleteTxns, persistSnapshot } from './storage.js';
import { renderZxid, type Zxid } from './zxid.js';

/**
 * Delivers (applies) every txn up to `zxid` that this server holds, in zxid order. A commit point
 * beyond the local history commits only what is here: a follower's history is a prefix of its
 * leader's, so everything it holds up to the leader's commit point is committed.
 */
export function commitTo(state: ZabState, context: ZabContext, zxid: Zxid): void {
  const history = state.history;
  const target = Math.min(zxid, history.lastZxid);
  if (target <= state.commitZxid) return;
  const from = history.firstAfter(state.commitZxid);
  if (!(state.commitZxid === history.snapshotZxid || history.txns[from - 1]?.zxid === state.commitZxid)) fail(`server ${state.id} commit point ${renderZxid(state.commitZxid)} not in its history`);
  let next = from;
  for (; next < history.txns.length; next++) {
    const txn = history.txns[next] as Txn;
    if (txn.zxid > target) break;
    deliver(state, context, txn);
  }
  maybeSnapshot(state, context, next);
}

function deliver(state: ZabState, context: ZabContext, txn: Txn): void {
  if (txn.zxid <= state.commitZxid) fail(`server ${state.id} delivers ${renderZxid(txn.zxid)} again`);
  const command = txn.command;
  const response = applyKvCommand(state.kv, command);
  state.commitZxid = txn.zxid;
  state.step.applied.push(txn);
  const pending = state.pending.get(command.clientId);
  if (pending !== undefined && pending.sequence === command.sequence) {
    context.reply(pending.requestId, response);
    state.pending.delete(command.clientId);
    state.answered.set(command.clientId, command.sequence);
  }
}

/** Compacts the log once `snapshotThreshold` committed txns sit in it (`committedInLog`: how many do now). */
function maybeSnapshot(state: ZabState, context: ZabContext, committedInLog: number): void {
  const history = state.history;
  if (committedInLog < state.options.snapshotThreshold) return;
  const snapshot: Snapshot = { zxid: state.commitZxid, data: snapshotKvStore(state.kv) };
  const previous = history.snapshot;
  // The snapshot is written first: the txns it replaces go only once it is on disk (same batch, in order).
  persistSnapshot(state, context, snapshot, previous);
  deleteTxns(state, context, history.compact(snapshot));
  context.mark('snapshot-taken');
}
