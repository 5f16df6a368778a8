import type { NodeId } from '../../protocol/effects.js';
import { fail } from '../../util/assert.js';
import type { ZabContext } from './declarations.js';
import type { AckEpoch, FollowerInfo, LeaderInfo } from './messages.js';
import { goLooking, promisedEpoch } from './roles.js';
import type { Learner, LeaderState, ZabState } from './state.js';
import { persistAcceptedEpoch, persistCurrentEpoch } from './storage.js';
import { checkEstablished, startSync } from './sync.js';
import { epochOf, MAX_EPOCH } from './zxid.js';

/**
 * Discovery (Zab phase 1): the prospective leader learns a quorum's acceptedEpochs, proposes an
 * epoch above all of them, and waits for a quorum to accept it (ACKEPOCH, after persisting).
 * Two leaders can then never establish the same epoch: their quorums share a server, which
 * acknowledges an epoch only once.
 */

function leaderOf(state: ZabState): LeaderState | undefined {
  return state.role === 'leading' && state.leader !== null ? state.leader : undefined;
}

export function newLearner(): Learner {
  return { phase: 'epoch', ackEpoch: null, syncTarget: 0, acked: 0, ackedAtLastTick: 0, silentTicks: 0 };
}

export function handleFollowerInfo(state: ZabState, context: ZabContext, from: NodeId, message: FollowerInfo): void {
  const leader = leaderOf(state);
  if (leader === undefined) return;
  // A (re)connecting follower starts over: whatever it had acknowledged before is history.
  const learner = newLearner();
  leader.learners.set(from, learner);
  leader.newLeaderAcks.delete(from);
  if (leader.epoch === 0) {
    leader.infos.set(from, message.acceptedEpoch);
    maybeChooseEpoch(state, context);
  } else {
    context.send(from, { type: 'leaderinfo', epoch: leader.epoch });
  }
}

/** Once a quorum reported its acceptedEpoch: the new epoch is one above the highest. */
export function maybeChooseEpoch(state: ZabState, context: ZabContext): void {
  const leader = leaderOf(state);
  if (leader === undefined || leader.epoch !== 0 || leader.infos.size < state.quorum) return;
  let highest = 0;
  for (const epoch of leader.infos.values()) highest = Math.max(highest, epoch);
  if (highest >= MAX_EPOCH) fail(`server ${state.id} would choose epoch ${highest + 1}, beyond the zxid encoding's ${MAX_EPOCH}`);
  leader.epoch = highest + 1;
  state.acceptedEpoch = leader.epoch;
  persistAcceptedEpoch(state, context);
  context.mark('epoch-chosen');
  for (const peer of leader.learners.keys()) context.send(peer, { type: 'leaderinfo', epoch: leader.epoch });
  // The leader acknowledges its own epoch (it is never more recent than itself).
  if (state.health === 'healthy') leader.epochAcks.add(state.id);
  maybeAcknowledgeEpoch(state, context);
}

export function handleLeaderInfo(state: ZabState, context: ZabContext, from: NodeId, message: LeaderInfo): void {
  if (state.role !== 'following' || from !== state.leaderId) return;
  if (state.phase === 'sync' && message.epoch === state.followingEpoch) {
    // A retransmission: our ACKEPOCH was lost. The epoch is already on disk; say so again.
    context.send(from, ackEpoch(state, state.ackEpochCounted));
    return;
  }
  if (state.phase !== 'discovery') return;
  state.silentTicks = 0;
  const promised = promisedEpoch(state);
  let counted: boolean;
  if (message.epoch > promised) {
    state.acceptedEpoch = message.epoch;
    persistAcceptedEpoch(state, context);
    context.mark('epoch-accepted');
    counted = state.health === 'healthy';
  } else if (message.epoch === promised) {
    // Accepted before (a reconnect): an ack that must not count, or one server could help two
    // leaders establish the same epoch.
    context.mark('epoch-already-accepted');
    counted = false;
  } else {
    context.mark('leaderinfo-stale');
    goLooking(state, context);
    return;
  }
  state.followingEpoch = message.epoch;
  state.phase = 'sync';
  state.ackEpochCounted = counted;
  context.send(from, ackEpoch(state, counted));
}

function ackEpoch(state: ZabState, counted: boolean): AckEpoch {
  const history = state.history;
  return {
    type: 'ackepoch',
    epoch: state.followingEpoch,
    currentEpoch: state.currentEpoch,
    lastZxid: history.lastZxid,
    snapshotZxid: history.snapshotZxid,
    epochs: history.epochSummary(),
    counted,
  };
}

/** Whether (epoch, zxid) a is more recent than b: a follower ahead of its leader. */
function isMoreRecent(aEpoch: number, aZxid: number, bEpoch: number, bZxid: number): boolean {
  return aEpoch > bEpoch || (aEpoch === bEpoch && aZxid > bZxid);
}

export function handleAckEpoch(state: ZabState, context: ZabContext, from: NodeId, message: AckEpoch): void {
  const leader = leaderOf(state);
  if (leader === undefined || message.epoch !== leader.epoch) return;
  const learner = leader.learners.get(from);
  if (learner === undefined || learner.phase !== 'epoch') return;
  learner.silentTicks = 0;
  learner.ackEpoch = { lastZxid: message.lastZxid, snapshotZxid: message.snapshotZxid, epochs: message.epochs };
  if (message.counted && !leader.epochAcknowledged) {
    const ownEpoch = state.options.unsafeEpochFromZxid ? epochOf(state.history.lastZxid) : state.currentEpoch;
    if (isMoreRecent(message.currentEpoch, message.lastZxid, ownEpoch, state.history.lastZxid)) {
      // The follower may hold committed txns this leader lacks: it must not lead (ZooKeeper
      // refuses the learner; giving up lets the more recent server win the next election).
      context.mark('follower-ahead');
      goLooking(state, context);
      return;
    }
    leader.epochAcks.add(from);
  }
  if (leader.epochAcknowledged) startSync(state, context, from, learner);
  else maybeAcknowledgeEpoch(state, context);
}

/** A quorum accepted the epoch: persist currentEpoch, then synchronize every learner. */
function maybeAcknowledgeEpoch(state: ZabState, context: ZabContext): void {
  const leader = leaderOf(state);
  if (leader === undefined || leader.epochAcknowledged || leader.epochAcks.size < state.quorum) return;
  leader.epochAcknowledged = true;
  state.currentEpoch = leader.epoch;
  persistCurrentEpoch(state, context);
  context.mark('epoch-bumped');
  state.phase = 'sync';
  state.ticks = 0;
  // The leader holds its own history durably: it counts as acknowledging NEWLEADER.
  leader.newLeaderAcks.add(state.id);
  for (const [peer, learner] of leader.learners) if (learner.phase === 'epoch' && learner.ackEpoch !== null) startSync(state, context, peer, learner);
  checkEstablished(state, context);
}
