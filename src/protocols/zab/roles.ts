import { unreachable } from '../../util/assert.js';
import type { ZabContext } from './declarations.js';
import { broadcastNotification, startElection } from './election.js';
import type { NodeId } from '../../protocol/effects.js';
import type { LeaderState, ZabState } from './state.js';
import { epochOf } from './zxid.js';
import { millis } from '../../sim/time.js';

/**
 * Back to LOOKING: whatever this server was doing as leader or follower ends. Requests waiting
 * here may or may not commit under the next leader, so their clients are told `unknown`.
 */
export function goLooking(state: ZabState, context: ZabContext): void {
  abandonPending(state, context);
  state.role = 'looking';
  state.phase = 'election';
  state.leaderId = null;
  state.leader = null;
  state.followingEpoch = 0;
  state.unsyncedTxns = [];
  state.early.clear();
  context.cancelTimer('tick');
  startElection(state, context);
}

export function abandonPending(state: ZabState, context: ZabContext): void {
  for (const pending of state.pending.values()) context.reply(pending.requestId, { status: 'unknown', error: 'server left its leader' });
  state.pending.clear();
}

export function becomeFollowing(state: ZabState, context: ZabContext, leader: NodeId): void {
  enterPeerRole(state, context, 'following', leader);
  context.send(leader, { type: 'followerinfo', acceptedEpoch: promisedEpoch(state) });
}

export function becomeLeading(state: ZabState, context: ZabContext): void {
  enterPeerRole(state, context, 'leading', state.id);
  const leader: LeaderState = {
    epoch: 0,
    infos: new Map([[state.id, promisedEpoch(state)]]),
    epochAcks: new Set(),
    epochAcknowledged: false,
    learners: new Map(),
    newLeaderAcks: new Set(),
    established: false,
    counter: 0,
  };
  state.leader = leader;
}

function enterPeerRole(state: ZabState, context: ZabContext, role: 'following' | 'leading', leader: NodeId): void {
  state.role = role;
  state.phase = 'discovery';
  state.leaderId = leader;
  state.followingEpoch = 0;
  state.syncedEpoch = 0;
  state.ticks = 0;
  state.silentTicks = 0;
  state.outOfElection.clear();
  context.cancelTimer('election');
  context.cancelTimer('finalize');
  context.setTimer('tick', millis(state.options.tickMs));
  // Tell the servers still looking (FLE: a decided server answers lookers with its vote).
  broadcastNotification(state, context);
}

/**
 * The epoch this server has promised not to go below: its persisted acceptedEpoch. With the
 * planted ZOOKEEPER-335 bug there is no such record, and the epoch is read off the last zxid.
 */
export function promisedEpoch(state: ZabState): number {
  return state.options.unsafeEpochFromZxid ? epochOf(state.history.lastZxid) : state.acceptedEpoch;
}

export function roleName(state: ZabState): string {
  switch (state.role) {
    case 'looking':
      return state.health === 'quarantined' ? 'quarantined' : 'looking';
    case 'following':
    case 'leading':
      return `${state.role}/${state.phase}`;
    default:
      return unreachable(state.role, 'zab role');
  }
}
