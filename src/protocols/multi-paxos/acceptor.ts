import type { NodeId } from '../../protocol/effects.js';
import { MICROS_PER_MS } from '../../sim/time.js';
import { fail, maybe } from '../../util/assert.js';
import { ballotNode, type Ballot } from './ballot.js';
import type { PaxosContext } from './declarations.js';
import { learnFromLeader } from './learner.js';
import type { AcceptedProposal, AcceptRequest, PrepareRequest } from './messages.js';
import { becomeFollower, noteLeaderContact } from './roles.js';
import { snapshotSlot, type PaxosState } from './state.js';
import { persistAccepted, persistPromise } from './storage.js';

/**
 * Leader stickiness: a node that heard from a live leader less than a minimum election timeout
 * ago refuses other proposers' prepares. It keeps a rejoining node from deposing a healthy
 * leader, and it is what makes lease reads safe (as Raft's check-quorum votes are).
 */
function hearsLiveLeader(state: PaxosState, context: PaxosContext, proposer: NodeId): boolean {
  if (state.role === 'leader') return proposer !== state.id;
  if (state.leaderId === null || state.lastLeaderContactAt === null || state.leaderId === proposer) return false;
  return context.now - state.lastLeaderContactAt < state.options.electionTimeoutMinMs * MICROS_PER_MS;
}

/**
 * Phase 1b (Paxos Made Simple §2.2): promise never to accept a ballot below `ballot`, and report
 * what was accepted from `from` on. An equal ballot is a retransmission and is answered again.
 * The promise is persisted before the reply (the host releases the reply after the write).
 */
export function handlePrepare(state: PaxosState, context: PaxosContext, from: NodeId, request: PrepareRequest): void {
  state.step.preparesReceived.push(request.ballot);
  if (request.ballot < state.promised) {
    context.mark('prepare-refused');
    context.send(from, { type: 'nack', ballot: request.ballot, promised: state.promised });
    return;
  }
  if (hearsLiveLeader(state, context, from)) {
    context.mark('prepare-refused-sticky');
    context.send(from, { type: 'nack', ballot: request.ballot, promised: state.promised });
    return;
  }
  raisePromise(state, context, request.ballot);
  const snapshot = state.snapshot !== null && state.snapshot.slot >= request.from ? state.snapshot : null;
  if (snapshot !== null) context.mark('snapshot-in-promise');
  context.send(from, { type: 'promise', ballot: request.ballot, accepted: acceptedFrom(state, request.from), snapshot });
}

/** Raises the promise (persisting it); a proposer with a lower ballot gives way. */
export function raisePromise(state: PaxosState, context: PaxosContext, ballot: Ballot): void {
  if (ballot < state.promised) fail(`node ${state.id} lowers its promise from ${state.promised} to ${ballot}`);
  if (ballot === state.promised) return;
  state.promised = ballot;
  persistPromise(state, context);
  if (state.role !== 'follower' && state.ballot < ballot) becomeFollower(state, context, null);
}

/** Accepted values in slots >= from, in slot order (the table holds no slot at or below the snapshot). */
function acceptedFrom(state: PaxosState, from: number): AcceptedProposal[] {
  const out: AcceptedProposal[] = [];
  const accepted = state.accepted;
  for (let slot = Math.max(from, accepted.first); slot < accepted.end; slot++) {
    const proposal = accepted.get(slot);
    if (proposal !== undefined) out.push(proposal);
  }
  return out;
}

/**
 * Phase 2b: accept unless a higher ballot was promised. Accepting `ballot` implies promising it.
 * Each accepted value is persisted before the reply. A slot at or below the snapshot is chosen
 * and compacted; it is acknowledged without a record.
 */
export function handleAccept(state: PaxosState, context: PaxosContext, from: NodeId, request: AcceptRequest): void {
  if (request.ballot < state.promised) {
    context.mark('accept-refused');
    context.send(from, { type: 'nack', ballot: request.ballot, promised: state.promised });
    return;
  }
  raisePromise(state, context, request.ballot);
  noteLeaderContact(state, context, ballotNode(request.ballot));
  const slots: number[] = [];
  for (const proposal of request.proposals) {
    acceptLocally(state, context, request.ballot, proposal);
    slots.push(proposal.slot);
  }
  context.send(from, { type: 'accepted', ballot: request.ballot, slots });
  learnFromLeader(state, context, request.ballot, request.chosenThrough);
}

/** The acceptor's half of phase 2, also used by the leader for its own proposals. */
export function acceptLocally(state: PaxosState, context: PaxosContext, ballot: Ballot, proposal: AcceptedProposal): void {
  if (ballot !== state.promised) fail(`node ${state.id} accepts ballot ${ballot} while promised ${state.promised}`);
  if (proposal.slot <= snapshotSlot(state)) return;
  const previous = state.accepted.get(proposal.slot);
  maybe(previous !== undefined);
  if (previous !== undefined && previous.ballot > ballot) fail(`slot ${proposal.slot} accepted ballot ${previous.ballot} above ${ballot}`);
  // A proposal arrives in its ballot already (immutable, shared): it is the record itself.
  const record: AcceptedProposal = proposal.ballot === ballot ? proposal : { slot: proposal.slot, ballot, value: proposal.value };
  state.accepted.set(proposal.slot, record);
  persistAccepted(state, context, record);
  state.step.accepted.push(record);
}
