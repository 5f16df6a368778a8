import type { NodeId } from '../../protocol/effects.js';
import { assert, fail } from '../../util/assert.js';
import { restoreKvStore } from '../kv/store.js';
import { sendCatchUp } from './broadcast.js';
import type { ZabContext } from './declarations.js';
import { commitTo } from './deliver.js';
import type { History } from './history.js';
import type { AckNewLeader, Diff, NewLeader, Snap, Trunc, Txn, UpToDate, ZabMessage } from './messages.js';
import type { Learner, ZabState } from './state.js';
import { noteRemoved } from './state.js';
import { deleteTxns, persistCurrentEpoch, persistRecovering, persistSnapshot, persistTxn } from './storage.js';
import { renderZxid, type Zxid } from './zxid.js';

/**
 * Synchronization (Zab phase 2): the leader makes each follower's history equal to its own, by
 * the cheapest of three means, then sends NEWLEADER. A follower acknowledges NEWLEADER once its
 * history is the leader's and durable, with currentEpoch persisted; a quorum of those
 * acknowledgements establishes the leader, which then commits its whole initial history.
 */

type AckSummary = NonNullable<Learner['ackEpoch']>;

/**
 * The longest prefix the follower's history shares with the leader's. Two histories that both
 * hold zxid (e, k) agree up to it (one leader per epoch proposes in order, and every follower of
 * epoch e first took that leader's history), so the common prefix ends at the highest zxid both
 * hold; the follower's per-epoch summary says which zxids it holds. Its snapshot is committed,
 * so the leader holds it too.
 */
export function commonPrefix(history: History, ack: AckSummary): Zxid {
  let common = Math.min(ack.snapshotZxid, history.lastZxid);
  for (const [epoch, lastOfFollower] of ack.epochs) {
    const lastOfLeader = history.lastOfEpoch(epoch);
    if (lastOfLeader !== undefined) common = Math.max(common, Math.min(lastOfFollower, lastOfLeader));
  }
  return common;
}

/** Which synchronization a follower needs, as the message to send it. */
export function chooseSync(state: ZabState, ack: AckSummary, epoch: number): Diff | Trunc | Snap {
  const history = state.history;
  const last = history.lastZxid;
  const base = ack.lastZxid;
  if (state.options.unsafeDiffWithoutTrunc && base >= history.snapshotZxid && base <= last) {
    // ZOOKEEPER-1154: the follower's last zxid lies within the leader's log range, so DIFF from
    // there, without checking that the leader ever had that txn.
    return { type: 'diff', epoch, base, txns: history.after(base), last };
  }
  const common = commonPrefix(history, ack);
  if (common < history.snapshotZxid) {
    assert(history.snapshot !== null, 'a common prefix below a snapshot that does not exist');
    return { type: 'snap', epoch, base, snapshot: history.snapshot, txns: history.after(history.snapshotZxid), last };
  }
  if (common === base) return { type: 'diff', epoch, base, txns: history.after(base), last };
  return { type: 'trunc', epoch, base, truncZxid: common, txns: history.after(common), last };
}

/** Leader: synchronize one learner (again, when called on a retransmission). */
export function startSync(state: ZabState, context: ZabContext, peer: NodeId, learner: Learner): void {
  const leader = state.leader;
  assert(leader !== null && learner.ackEpoch !== null, 'sync without a leader or an ACKEPOCH');
  const message = chooseSync(state, learner.ackEpoch, leader.epoch);
  context.mark(message.type === 'diff' ? 'sync-diff' : message.type === 'trunc' ? 'sync-trunc' : 'sync-snap');
  learner.phase = 'syncing';
  learner.syncTarget = message.last;
  context.send(peer, message);
  context.send(peer, { type: 'newleader', epoch: leader.epoch, zxid: message.last });
}

/** Follower: a DIFF, TRUNC or SNAP from the leader it follows, in the epoch it accepted. */
export function handleSyncMessage(state: ZabState, context: ZabContext, from: NodeId, message: Diff | Trunc | Snap): void {
  const inBroadcast = message.type === 'snap' && isFromOwnLeader(state, from, message.epoch) && state.phase === 'broadcast';
  if (!inBroadcast && !isFromOwnLeaderInSync(state, from, message.epoch)) return;
  state.silentTicks = 0;
  const history = state.history;
  if (inBroadcast) {
    // A leader's catch-up past its own snapshot: our history is a prefix of the leader's, so
    // the snapshot replaces it whenever it reaches further.
    if (history.lastZxid >= (message as Snap).snapshot.zxid) return;
  } else if (history.lastZxid === message.last) {
    return; // a duplicate of a sync already applied
  } else if (history.lastZxid !== message.base) {
    // A retransmission after an earlier sync of this epoch was applied (its NEWLEADER was lost or
    // overtaken): take the rest. Only txns this leader sent may be resumed from; anything else
    // is a stale message from before a reconnect.
    if (state.syncedEpoch !== message.epoch) return;
    const at = message.txns.findIndex((txn) => txn.zxid === history.lastZxid);
    if (at < 0) return;
    appendSynced(state, context, message.txns.slice(at + 1));
    context.mark('sync-applied');
    return;
  }
  switch (message.type) {
    case 'diff':
      break;
    case 'trunc': {
      if (message.truncZxid < state.commitZxid) fail(`server ${state.id} told to truncate to ${renderZxid(message.truncZxid)} below its commit point ${renderZxid(state.commitZxid)}`);
      if (!history.contains(message.truncZxid)) fail(`server ${state.id} told to truncate to ${renderZxid(message.truncZxid)}, which it does not hold`);
      const removed = history.truncateAfter(message.truncZxid);
      if (removed.length > 0) noteRemoved(state, (removed[0] as Txn).zxid);
      deleteTxns(state, context, removed);
      break;
    }
    case 'snap':
      installSnapshot(state, context, message);
      break;
    default:
      message satisfies never;
  }
  appendSynced(state, context, message.txns);
  state.syncedEpoch = message.epoch;
  if (history.lastZxid !== message.last) fail(`server ${state.id} synchronized to ${renderZxid(history.lastZxid)}, expected ${renderZxid(message.last)}`);
  context.mark('sync-applied');
  state.early.clear();
  if (inBroadcast) context.send(from, { type: 'ack', epoch: message.epoch, zxid: history.lastZxid });
}

function appendSynced(state: ZabState, context: ZabContext, txns: readonly Txn[]): void {
  for (const txn of txns) {
    state.history.append(txn);
    if (state.options.unsafeAckNewLeaderBeforeSync) state.unsyncedTxns.push(txn);
    else persistTxn(state, context, txn);
  }
}

function installSnapshot(state: ZabState, context: ZabContext, message: Snap): void {
  const snapshot = message.snapshot;
  if (snapshot.zxid < state.commitZxid) fail(`server ${state.id} given a snapshot at ${renderZxid(snapshot.zxid)} below its commit point`);
  const kv = restoreKvStore(snapshot.data);
  assert(kv !== undefined, 'leader sent an unreadable snapshot');
  const previous = state.history.snapshot;
  const dropped = state.history.reset(snapshot);
  // Txns the snapshot covers are replaced, not lost; any beyond it were never the leader's.
  const beyond = dropped.find((txn) => txn.zxid > snapshot.zxid);
  if (beyond !== undefined) noteRemoved(state, beyond.zxid);
  persistSnapshot(state, context, snapshot, previous);
  deleteTxns(state, context, dropped);
  // Answers waiting for txns the snapshot covers can no longer be matched: the clients retry.
  state.kv = kv;
  state.commitZxid = snapshot.zxid;
  state.step.installedSnapshot = snapshot;
}

function isFromOwnLeader(state: ZabState, from: NodeId, epoch: number): boolean {
  return state.role === 'following' && from === state.leaderId && epoch === state.followingEpoch;
}

function isFromOwnLeaderInSync(state: ZabState, from: NodeId, epoch: number): boolean {
  return state.role === 'following' && state.phase === 'sync' && from === state.leaderId && epoch === state.followingEpoch;
}

/** Follower: synchronization is complete when the history ends where the leader said. */
export function handleNewLeader(state: ZabState, context: ZabContext, from: NodeId, message: NewLeader): void {
  if (!isFromOwnLeaderInSync(state, from, message.epoch) || state.history.lastZxid !== message.zxid) return;
  state.silentTicks = 0;
  const ack: ZabMessage = { type: 'ack-newleader', epoch: message.epoch, zxid: message.zxid };
  if (state.options.unsafeAckNewLeaderBeforeSync) {
    // ZOOKEEPER-3911: the acknowledgement leaves before the synced txns reach the disk.
    context.send(from, ack);
    for (const txn of state.unsyncedTxns) persistTxn(state, context, txn);
    state.unsyncedTxns = [];
  }
  state.currentEpoch = message.epoch;
  persistCurrentEpoch(state, context);
  if (state.health === 'recovering') {
    // Synchronized by a leader that did not count this server: its history is whole again.
    state.health = 'healthy';
    persistRecovering(state, context, false);
  }
  if (!state.options.unsafeAckNewLeaderBeforeSync) context.send(from, ack);
}

/** Leader: a learner's history is now the leader's. */
export function handleAckNewLeader(state: ZabState, context: ZabContext, from: NodeId, message: AckNewLeader): void {
  const leader = state.leader;
  if (state.role !== 'leading' || leader === null || message.epoch !== leader.epoch) return;
  const learner = leader.learners.get(from);
  if (learner === undefined || learner.phase !== 'syncing' || message.zxid !== learner.syncTarget) return;
  learner.phase = 'active';
  learner.acked = message.zxid;
  learner.ackedAtLastTick = message.zxid;
  learner.silentTicks = 0;
  leader.newLeaderAcks.add(from);
  if (leader.established) {
    context.send(from, { type: 'uptodate', epoch: leader.epoch, commitZxid: state.commitZxid });
    sendCatchUp(state, context, from, learner);
  } else checkEstablished(state, context);
}

/** A quorum holds the leader's history: commit all of it and start broadcasting. */
export function checkEstablished(state: ZabState, context: ZabContext): void {
  const leader = state.leader;
  if (leader === null || leader.established || !leader.epochAcknowledged || leader.newLeaderAcks.size < state.quorum) return;
  leader.established = true;
  state.phase = 'broadcast';
  state.step.established = true;
  context.mark('established');
  commitTo(state, context, state.history.lastZxid);
  for (const [peer, learner] of leader.learners) {
    if (learner.phase === 'active') context.send(peer, { type: 'uptodate', epoch: leader.epoch, commitZxid: state.commitZxid });
  }
}

/** Follower: the leader is established; commit what it says and start serving. */
export function handleUpToDate(state: ZabState, context: ZabContext, from: NodeId, message: UpToDate): void {
  if (state.role !== 'following' || from !== state.leaderId || message.epoch !== state.followingEpoch) return;
  if (state.phase !== 'sync' || state.currentEpoch !== message.epoch) return;
  state.silentTicks = 0;
  state.phase = 'broadcast';
  commitTo(state, context, message.commitZxid);
}
