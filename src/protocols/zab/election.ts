import type { NodeId } from '../../protocol/effects.js';
import type { ZabContext } from './declarations.js';
import type { Notification, Vote } from './messages.js';
import { becomeFollowing, becomeLeading } from './roles.js';
import type { ZabState } from './state.js';
import { millis } from '../../sim/time.js';

/**
 * Fast Leader Election (ZooKeeper's FastLeaderElection): every looking server proposes the best
 * vote it has seen, ordered by (epoch, last zxid, server id), and adopts a better one when it
 * hears of it; once a quorum of the round agrees on its vote (and a short wait brings nothing
 * better) it follows that vote's leader, or leads. Election picks a leader for liveness only:
 * safety comes from discovery, which needs a quorum of ACKEPOCHs none more recent than the leader.
 */

/** The vote this server casts for itself: its currentEpoch and last zxid. */
export function selfVote(state: ZabState): Vote {
  // A recovering server may lack txns it acknowledged: it never proposes itself.
  const peerEpoch = state.health === 'recovering' ? -1 : state.currentEpoch;
  return { leader: state.id, zxid: state.history.lastZxid, peerEpoch };
}

/** FLE's total order predicate: epoch, then last zxid, then server id. */
export function isBetterVote(a: Vote, b: Vote): boolean {
  if (a.peerEpoch !== b.peerEpoch) return a.peerEpoch > b.peerEpoch;
  if (a.zxid !== b.zxid) return a.zxid > b.zxid;
  return a.leader > b.leader;
}

function sameVote(a: Vote, b: Vote): boolean {
  return a.leader === b.leader && a.zxid === b.zxid && a.peerEpoch === b.peerEpoch;
}

export function startElection(state: ZabState, context: ZabContext): void {
  state.round++;
  state.vote = selfVote(state);
  state.votes.clear();
  state.votes.set(state.id, state.vote);
  state.outOfElection.clear();
  context.cancelTimer('finalize');
  broadcastNotification(state, context);
  armElectionTimer(state, context);
}

function notification(state: ZabState): Notification {
  if (state.role === 'looking') return { type: 'notification', round: state.round, vote: state.vote, state: 'looking' };
  const epoch = state.role === 'leading' ? (state.leader?.epoch ?? 0) : state.followingEpoch;
  const vote: Vote = { leader: state.leaderId ?? state.id, zxid: state.history.lastZxid, peerEpoch: epoch };
  return { type: 'notification', round: state.round, vote, state: state.role };
}

export function broadcastNotification(state: ZabState, context: ZabContext): void {
  const message = notification(state);
  for (const peer of state.peers) context.send(peer, message);
}

function armElectionTimer(state: ZabState, context: ZabContext): void {
  const base = millis(state.options.notificationRetryMs);
  // Jitter, so servers that started together do not keep resending in lockstep.
  context.setTimer('election', base + context.random.int(Math.max(1, Math.floor(base / 2))));
}

export function onElectionTimer(state: ZabState, context: ZabContext): void {
  if (state.role !== 'looking') return;
  broadcastNotification(state, context);
  armElectionTimer(state, context);
}

export function handleNotification(state: ZabState, context: ZabContext, from: NodeId, message: Notification): void {
  if (state.role !== 'looking') {
    // A decided server answers a looking one with whom it follows, so the latecomer can join.
    if (message.state === 'looking') context.send(from, notification(state));
    return;
  }
  if (message.state === 'looking') onLookingPeer(state, context, from, message);
  else onDecidedPeer(state, context, from, message);
}

function onLookingPeer(state: ZabState, context: ZabContext, from: NodeId, message: Notification): void {
  if (message.round < state.round) {
    context.send(from, notification(state));
    return;
  }
  if (message.round > state.round) {
    state.round = message.round;
    state.votes.clear();
    const own = selfVote(state);
    state.vote = isBetterVote(message.vote, own) ? message.vote : own;
    state.votes.set(state.id, state.vote);
    broadcastNotification(state, context);
  } else if (isBetterVote(message.vote, state.vote)) {
    state.vote = message.vote;
    state.votes.set(state.id, state.vote);
    broadcastNotification(state, context);
  }
  state.votes.set(from, message.vote);
  if (quorumAgrees(state)) context.setTimer('finalize', millis(state.options.finalizeWaitMs));
}

function quorumAgrees(state: ZabState): boolean {
  let agreeing = 0;
  for (const vote of state.votes.values()) if (sameVote(vote, state.vote)) agreeing++;
  return agreeing >= state.quorum;
}

/**
 * A server already following or leading: once a quorum of decided servers names the same leader
 * in the same epoch, and the leader itself says it leads, join it (ZooKeeper's out-of-election
 * check) rather than wait for an election nobody else is running.
 */
function onDecidedPeer(state: ZabState, context: ZabContext, from: NodeId, message: Notification): void {
  state.outOfElection.set(from, { vote: message.vote, state: message.state as 'following' | 'leading' });
  const leader = message.vote.leader;
  if (leader === state.id) return;
  const claim = state.outOfElection.get(leader);
  if (claim === undefined || claim.state !== 'leading' || claim.vote.peerEpoch !== message.vote.peerEpoch) return;
  let supporters = 1; // this server
  for (const entry of state.outOfElection.values()) {
    if (entry.vote.leader === leader && entry.vote.peerEpoch === message.vote.peerEpoch) supporters++;
  }
  if (supporters < state.quorum) return;
  context.mark('joined-established-leader');
  becomeFollowing(state, context, leader);
}

export function onFinalizeTimer(state: ZabState, context: ZabContext): void {
  if (state.role !== 'looking' || !quorumAgrees(state)) return;
  const leader = state.vote.leader;
  if (leader === state.id && state.health === 'recovering') return;
  context.mark('election-decided');
  if (leader === state.id) becomeLeading(state, context);
  else becomeFollowing(state, context, leader);
}
