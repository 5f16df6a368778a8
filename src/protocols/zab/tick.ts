import { sendCatchUp } from './broadcast.js';
import type { ZabContext } from './declarations.js';
import { goLooking, promisedEpoch } from './roles.js';
import type { ZabState } from './state.js';
import { startSync } from './sync.js';
import { millis } from '../../sim/time.js';

/**
 * The tick (ZooKeeper's tickTime): the leader's heartbeat and retransmissions, and both limits —
 * initLimit for discovery plus synchronization, syncLimit for silence in broadcast.
 */
export function onTick(state: ZabState, context: ZabContext): void {
  if (state.role === 'looking') return;
  context.setTimer('tick', millis(state.options.tickMs));
  state.ticks++;
  if (state.phase !== 'broadcast' && state.ticks > state.options.initLimit) {
    context.mark('init-limit');
    goLooking(state, context);
    return;
  }
  if (state.role === 'leading') leaderTick(state, context);
  else followerTick(state, context);
}

function leaderTick(state: ZabState, context: ZabContext): void {
  const leader = state.leader;
  if (leader === null) return;
  let live = 1; // the leader itself
  for (const [peer, learner] of leader.learners) {
    learner.silentTicks++;
    if (learner.phase === 'active' && learner.silentTicks <= state.options.syncLimit) live++;
    switch (learner.phase) {
      case 'epoch':
        if (leader.epoch !== 0) context.send(peer, { type: 'leaderinfo', epoch: leader.epoch });
        break;
      case 'syncing':
        if (learner.ackEpoch !== null && leader.epochAcknowledged) {
          context.mark('sync-retransmitted');
          startSync(state, context, peer, learner);
        }
        break;
      case 'active':
        if (leader.established) {
          context.send(peer, { type: 'ping', epoch: leader.epoch, commitZxid: state.commitZxid });
          if (learner.acked === learner.ackedAtLastTick && learner.acked < state.history.lastZxid) {
            context.mark('retransmit');
            sendCatchUp(state, context, peer, learner);
          }
          learner.ackedAtLastTick = learner.acked;
        }
        break;
      default:
        learner.phase satisfies never;
    }
  }
  if (leader.established && live < state.quorum) {
    context.mark('leader-lost-quorum');
    goLooking(state, context);
  }
}

function followerTick(state: ZabState, context: ZabContext): void {
  state.silentTicks++;
  if (state.silentTicks > state.options.syncLimit) {
    context.mark('follower-lost-leader');
    goLooking(state, context);
    return;
  }
  if (state.phase === 'discovery' && state.leaderId !== null) {
    context.send(state.leaderId, { type: 'followerinfo', acceptedEpoch: promisedEpoch(state) });
  }
}
