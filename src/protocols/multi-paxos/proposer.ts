import type { NodeId } from '../../protocol/effects.js';
import { assert, fail } from '../../util/assert.js';
import { ballotNode, ballotRound, makeBallot } from './ballot.js';
import type { PaxosContext } from './declarations.js';
import { installSnapshot } from './learner.js';
import type { AcceptedProposal, NackResponse, PromiseResponse, Slot, Value } from './messages.js';
import { fillWindow, proposeAll } from './replication.js';
import { becomeFollower } from './roles.js';
import { firstUnchosen, type PaxosState, type Preparing } from './state.js';
import { persistPromise, persistRound } from './storage.js';
import { armCheckQuorumTimer, armElectionTimer, armHeartbeatTimer, ELECTION_TIMER } from './timers.js';

/**
 * Phase 1 for every slot from the first one this node does not know chosen (Paxos Made Simple
 * §3: one prepare covers all later slots). The round is persisted before the prepares go out, so
 * a restarted node never uses a ballot twice; it starts above every round it has seen.
 */
export function startPhase1(state: PaxosState, context: PaxosContext): void {
  if (state.role === 'leader') fail(`leader ${state.id} starts phase 1`);
  // The planted bug forgets the round on restart and does not look at the promise on disk.
  const seen = state.options.unsafeVolatileRound ? state.round : Math.max(state.round, ballotRound(state.promised));
  state.round = seen + 1;
  state.ballot = makeBallot(state.round, state.id);
  persistRound(state, context);
  state.role = 'candidate';
  state.leaderId = null;
  state.lastLeaderContactAt = null;
  const from = firstUnchosen(state);
  const preparing: Preparing = { from, to: phase1Bound(state), promised: new Set(), refused: new Set(), reported: new Map() };
  state.preparing = preparing;
  state.step.startedBallot = state.ballot;
  context.mark('phase1-started');
  armElectionTimer(state, context);
  // Our own acceptor answers first (without a message).
  if (state.ballot > state.promised) {
    state.promised = state.ballot;
    persistPromise(state, context);
    preparing.promised.add(state.id);
    for (let slot = Math.max(from, state.accepted.first); slot < state.accepted.end; slot++) {
      const proposal = state.accepted.get(slot);
      if (proposal !== undefined) report(preparing, proposal);
    }
  } else {
    preparing.refused.add(state.id);
  }
  for (const peer of state.peers) context.send(peer, { type: 'prepare', ballot: state.ballot, from });
  maybeLead(state, context);
}

/**
 * The slots phase 1 covers (exclusive bound): all of them, except under the planted bug, where it
 * covers none beyond what this node already knows chosen, so it proposes in open slots it never
 * ran phase 1 for.
 */
function phase1Bound(state: PaxosState): Slot {
  if (!state.options.unsafeSkipPhase1Beyond) return Infinity;
  return firstUnchosen(state);
}

/** Keeps, per slot, the value of the highest ballot reported (the rule that makes Paxos safe). */
function report(preparing: Preparing, proposal: AcceptedProposal): void {
  if (proposal.slot < preparing.from || proposal.slot >= preparing.to) return;
  const best = preparing.reported.get(proposal.slot);
  if (best === undefined || proposal.ballot > best.ballot) preparing.reported.set(proposal.slot, proposal);
}

export function handlePromise(state: PaxosState, context: PaxosContext, from: NodeId, response: PromiseResponse): void {
  state.step.heard.push(from, response.ballot);
  const preparing = state.preparing;
  if (state.role !== 'candidate' || preparing === null || response.ballot !== state.ballot) return;
  if (response.snapshot !== null && response.snapshot.slot > state.applied) {
    // Those slots are chosen and compacted at that acceptor: take them as chosen.
    installSnapshot(state, context, response.snapshot);
    preparing.from = Math.max(preparing.from, firstUnchosen(state));
  }
  for (const proposal of response.accepted) report(preparing, proposal);
  preparing.promised.add(from);
  maybeLead(state, context);
}

/** A refusal. A higher promise means another proposer is ahead: give up and back off. */
export function handleNack(state: PaxosState, context: PaxosContext, from: NodeId, nack: NackResponse): void {
  state.step.heard.push(from, nack.promised);
  if (ballotRound(nack.promised) > state.round) state.round = ballotRound(nack.promised);
  if (nack.ballot !== state.ballot || state.role === 'follower') return;
  const preempted = nack.promised > state.ballot;
  if (state.role === 'leader') {
    if (!preempted) return;
    context.mark('nack-step-down');
    becomeFollower(state, context, null);
    return;
  }
  const preparing = state.preparing;
  assert(preparing !== null, 'a candidate is preparing');
  preparing.refused.add(from);
  if (preempted && ballotNode(nack.promised) !== state.id) context.mark('dueling-proposers');
  if (preempted || preparing.refused.size > state.peers.length + 1 - state.quorum) {
    context.mark('nack-step-down');
    state.failedAttempts++;
    becomeFollower(state, context, null);
  }
}

function maybeLead(state: PaxosState, context: PaxosContext): void {
  const preparing = state.preparing;
  if (preparing === null || preparing.promised.size < state.quorum) return;
  becomeLeader(state, context, preparing);
}

/**
 * A quorum promised: for every slot from `from` to the highest reported, propose the value of
 * the highest ballot reported there, or a no-op in a hole (so later slots can apply in order).
 */
function becomeLeader(state: PaxosState, context: PaxosContext, preparing: Preparing): void {
  if (state.promised !== state.ballot) fail(`leader ${state.id} promised ${state.promised}, not its ballot ${state.ballot}`);
  context.mark('phase1-complete');
  state.role = 'leader';
  state.leaderId = state.id;
  state.preparing = null;
  state.failedAttempts = 0;
  context.cancelTimer(ELECTION_TIMER);
  const from = Math.max(preparing.from, firstUnchosen(state));
  let highest = from - 1;
  for (const slot of preparing.reported.keys()) if (slot > highest) highest = slot;
  const recovered: { slot: Slot; value: Value }[] = [];
  for (let slot = from; slot <= highest; slot++) recovered.push({ slot, value: recoveredValue(state, context, preparing, slot) });
  state.nextSlot = Math.max(highest + 1, preparing.to === Infinity ? 0 : preparing.to);
  state.recoveredThrough = highest;
  state.heardFrom.clear();
  state.heartbeatRound = 0;
  proposeAll(state, context, recovered);
  fillWindow(state, context);
  armHeartbeatTimer(state, context);
  armCheckQuorumTimer(state, context);
}

function recoveredValue(state: PaxosState, context: PaxosContext, preparing: Preparing, slot: Slot): Value {
  const chosen = state.chosen.get(slot);
  if (chosen !== undefined) return chosen;
  const reported = preparing.reported.get(slot);
  if (reported !== undefined && !state.options.unsafeIgnorePromisedValues) {
    context.mark('value-adopted');
    return reported.value;
  }
  context.mark('hole-filled-noop');
  return { kind: 'noop' };
}
