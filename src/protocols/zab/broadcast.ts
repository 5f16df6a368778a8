import type { NodeId } from '../../protocol/effects.js';
import { assert, fail } from '../../util/assert.js';
import type { KvCommand } from '../kv/store.js';
import type { ZabContext } from './declarations.js';
import { commitTo } from './deliver.js';
import type { Ack, Commit, Ping, Proposal, Txn } from './messages.js';
import type { Learner, ZabState } from './state.js';
import { persistTxn } from './storage.js';
import { goLooking } from './roles.js';
import { makeZxid, MAX_COUNTER, renderZxid } from './zxid.js';

/**
 * Broadcast (Zab phase 3): the established leader gives each txn the next zxid of its epoch,
 * logs it and sends it to every synchronized follower; a follower logs it and acknowledges; once
 * a quorum holds a txn the leader commits it and everything before it, in zxid order.
 */

/** Leader: a new txn for `command`. */
export function propose(state: ZabState, context: ZabContext, command: KvCommand): void {
  const leader = state.leader;
  if (!(state.role === 'leading' && leader !== null && leader.established)) fail(`server ${state.id} proposes without leading`);
  if (leader.counter >= MAX_COUNTER) {
    // The epoch's counter is exhausted: step down, so that a new epoch begins (ZOOKEEPER-1277).
    // The request stays unanswered ('unknown'); the client retries with the next leader.
    context.mark('counter-rollover');
    goLooking(state, context);
    return;
  }
  const prev = state.history.lastZxid;
  leader.counter++;
  const txn: Txn = { zxid: makeZxid(leader.epoch, leader.counter), command };
  state.history.append(txn);
  persistTxn(state, context, txn);
  state.step.proposed.push(txn);
  const message: Proposal = { type: 'proposal', epoch: leader.epoch, prev, txn };
  // The send waits for the txn to be durable here (the host holds outputs behind writes).
  for (const [peer, learner] of leader.learners) if (learner.phase === 'active') context.send(peer, message);
  maybeCommit(state, context);
}

/** Leader: resend what a learner lacks, from just after what it acknowledged. */
export function sendCatchUp(state: ZabState, context: ZabContext, peer: NodeId, learner: Learner): void {
  const leader = state.leader;
  assert(leader !== null, 'catch-up without leading');
  const history = state.history;
  if (learner.acked < history.snapshotZxid) {
    // What it lacks is compacted away: it needs the snapshot (SNAP, as in synchronization).
    assert(history.snapshot !== null, 'a snapshot point without a snapshot');
    context.mark('sync-snap');
    context.send(peer, { type: 'snap', epoch: leader.epoch, base: learner.acked, snapshot: history.snapshot, txns: history.after(history.snapshotZxid), last: history.lastZxid });
    return;
  }
  const txns = history.after(learner.acked, state.options.maxRetransmit);
  let prev = learner.acked;
  for (const txn of txns) {
    context.send(peer, { type: 'proposal', epoch: leader.epoch, prev, txn });
    prev = txn.zxid;
  }
  if (state.commitZxid > learner.acked) context.send(peer, { type: 'commit', epoch: leader.epoch, zxid: state.commitZxid });
}

function isFromOwnLeader(state: ZabState, from: NodeId, epoch: number): boolean {
  return state.role === 'following' && from === state.leaderId && epoch === state.followingEpoch && state.currentEpoch === epoch;
}

/**
 * Follower: append a proposal that extends its history. The network may reorder: a proposal
 * that arrives ahead of its predecessor waits in a bounded buffer (ZooKeeper has TCP's order);
 * anything else lost is resent by the leader at its next tick.
 */
export function handleProposal(state: ZabState, context: ZabContext, from: NodeId, message: Proposal): void {
  if (!isFromOwnLeader(state, from, message.epoch)) return;
  state.silentTicks = 0;
  const history = state.history;
  if (message.txn.zxid <= history.lastZxid) return; // a duplicate
  if (message.prev !== history.lastZxid) {
    context.mark('proposal-gap');
    if (state.early.size < state.options.maxRetransmit) state.early.set(message.prev, message);
    return;
  }
  let next: Proposal | undefined = message;
  while (next !== undefined) {
    history.append(next.txn);
    persistTxn(state, context, next.txn);
    state.early.delete(next.prev);
    next = state.early.get(history.lastZxid);
  }
  context.send(from, { type: 'ack', epoch: message.epoch, zxid: history.lastZxid });
}

export function handleCommit(state: ZabState, context: ZabContext, from: NodeId, message: Commit | Ping): void {
  if (!isFromOwnLeader(state, from, message.epoch)) return;
  state.silentTicks = 0;
  const zxid = message.type === 'commit' ? message.zxid : message.commitZxid;
  if (state.phase === 'broadcast') commitTo(state, context, zxid);
  if (message.type === 'ping') context.send(from, { type: 'ack', epoch: message.epoch, zxid: state.history.lastZxid });
}

/** Leader: a follower holds everything up to `zxid`. */
export function handleAck(state: ZabState, context: ZabContext, from: NodeId, message: Ack): void {
  const leader = state.leader;
  if (state.role !== 'leading' || leader === null || message.epoch !== leader.epoch) return;
  const learner = leader.learners.get(from);
  if (learner === undefined || learner.phase !== 'active') return;
  learner.silentTicks = 0;
  if (message.zxid > state.history.lastZxid) fail(`follower ${from} acknowledges ${renderZxid(message.zxid)} beyond the leader's history`);
  // Acks are cumulative; a reordered older one says nothing new. Gaps are resent at the tick.
  if (message.zxid > learner.acked) {
    learner.acked = message.zxid;
    maybeCommit(state, context);
  }
}

const scratch: number[] = [];

/** The `quorum`-th highest of `values[0..count)`, sorting them in place (a handful: insertion sort, no allocation). */
function quorumthHighest(values: number[], count: number, quorum: number): number {
  for (let i = 1; i < count; i++) {
    const value = values[i] as number;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) < value) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = value;
  }
  return values[quorum - 1] as number;
}

/** Leader: commit up to the highest zxid a quorum (the leader included) holds. */
export function maybeCommit(state: ZabState, context: ZabContext): void {
  const leader = state.leader;
  if (leader === null || !leader.established) return;
  let count = 0;
  scratch[count++] = state.history.lastZxid;
  for (const learner of leader.learners.values()) if (learner.phase === 'active') scratch[count++] = learner.acked;
  if (count < state.quorum) return;
  const zxid = quorumthHighest(scratch, count, state.quorum);
  if (zxid <= state.commitZxid) return;
  commitTo(state, context, zxid);
  const message: Commit = { type: 'commit', epoch: leader.epoch, zxid };
  for (const [peer, learner] of leader.learners) if (learner.phase === 'active') context.send(peer, message);
}
