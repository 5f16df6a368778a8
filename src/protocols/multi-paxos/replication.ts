import type { NodeId } from '../../protocol/effects.js';
import { MICROS_PER_MS } from '../../sim/time.js';
import { assert, fail } from '../../util/assert.js';
import { acceptLocally } from './acceptor.js';
import type { PaxosContext } from './declarations.js';
import { learnChosen } from './learner.js';
import type { AcceptedProposal, AcceptedResponse, AcceptRequest, Slot, Value } from './messages.js';
import { chosenThrough, type OpenSlot, type PaxosState, type WaitingRequest } from './state.js';

/**
 * Phase 2 (Paxos Made Simple §3): the leader proposes in its ballot, slot by slot, with at most
 * `windowSlots` slots open at once; a slot is chosen once a quorum (the leader included)
 * accepted it. Slots may be chosen out of order; they apply in order.
 */
export function proposeAll(state: PaxosState, context: PaxosContext, proposals: { slot: Slot; value: Value }[]): void {
  const batch: AcceptedProposal[] = [];
  for (const { slot, value } of proposals) batch.push(open(state, context, slot, value, null));
  broadcast(state, context, batch);
  maybeChooseAlone(state, context, batch);
}

/** Proposes waiting client commands while the window has room. */
export function fillWindow(state: PaxosState, context: PaxosContext): void {
  if (state.role !== 'leader' || state.waiting.length === 0) return;
  const batch: AcceptedProposal[] = [];
  while (state.waiting.length > 0 && state.open.size < state.options.windowSlots) {
    const request = state.waiting.shift() as WaitingRequest;
    const slot = state.nextSlot++;
    const { clientId, sequence, operation } = request.command;
    batch.push(open(state, context, slot, { kind: 'client', clientId, sequence, operation }, request));
  }
  if (batch.length === 0) return;
  broadcast(state, context, batch);
  maybeChooseAlone(state, context, batch);
}

/**
 * Opens a slot. Its one proposal object (slot, ballot, value) serves every use: the leader's own
 * accepted record, the phase 2a messages (first send and retransmissions) and, since it carries
 * the ballot, every acceptor's accepted record too. Nothing mutates it.
 */
function open(state: PaxosState, context: PaxosContext, slot: Slot, value: Value, request: WaitingRequest | null): AcceptedProposal {
  if (state.role !== 'leader') fail(`${state.role} ${state.id} proposes`);
  if (state.open.has(slot)) fail(`leader ${state.id} proposes slot ${slot} twice in ballot ${state.ballot}`);
  const proposal: AcceptedProposal = { slot, ballot: state.ballot, value };
  const entry: OpenSlot = { value, proposal, acks: 0, ackCount: 0, sentAt: context.now, request };
  state.open.set(slot, entry);
  acceptLocally(state, context, state.ballot, proposal);
  state.step.proposed.push(proposal);
  return proposal;
}

function broadcast(state: PaxosState, context: PaxosContext, proposals: AcceptedProposal[]): void {
  const limit = state.options.maxSlotsPerMessage;
  const through = chosenThrough(state);
  for (let start = 0; start < proposals.length; start += limit) {
    const chunk = proposals.length <= limit ? proposals : proposals.slice(start, start + limit);
    // One message for every peer: messages are immutable once sent (as the heartbeat's).
    const message: AcceptRequest = { type: 'accept', ballot: state.ballot, proposals: chunk, chosenThrough: through };
    for (const peer of state.peers) context.send(peer, message);
  }
}

/** A one-node cluster's quorum is the leader alone. */
function maybeChooseAlone(state: PaxosState, context: PaxosContext, proposals: AcceptedProposal[]): void {
  if (state.quorum > 1) return;
  for (const proposal of proposals) choose(state, context, proposal.slot);
}

export function handleAccepted(state: PaxosState, context: PaxosContext, from: NodeId, response: AcceptedResponse): void {
  state.step.heard.push(from, response.ballot);
  if (state.role !== 'leader' || response.ballot !== state.ballot) return;
  state.heardFrom.add(from);
  for (const slot of response.slots) {
    const entry = state.open.get(slot);
    if (entry === undefined) continue; // chosen already, or a retransmission's second answer
    const bit = ackBit(from);
    if ((entry.acks & bit) === 0) {
      entry.acks |= bit;
      entry.ackCount++;
    }
    if (entry.ackCount + 1 >= state.quorum) choose(state, context, slot);
  }
  fillWindow(state, context);
}

/** An acceptor's bit in `OpenSlot.acks` (clusters are far below 31 nodes; the observers assume it too). */
function ackBit(node: NodeId): number {
  if (node >= 31) fail(`node ${node} does not fit an acknowledgement mask`);
  return 1 << node;
}

function choose(state: PaxosState, context: PaxosContext, slot: Slot): void {
  const entry = state.open.get(slot);
  assert(entry !== undefined, 'a chosen slot was open');
  state.open.delete(slot);
  if (entry.request !== null) state.awaitingApply.set(slot, entry.request);
  if (slot > chosenThrough(state) + 1) context.mark('chosen-out-of-order');
  learnChosen(state, context, slot, entry.value);
}

/** Heartbeat tick: resend proposals no quorum answered within a heartbeat interval. */
export function retransmit(state: PaxosState, context: PaxosContext): void {
  if (state.role !== 'leader' || state.open.size === 0) return;
  const stale = context.now - state.options.heartbeatIntervalMs * MICROS_PER_MS;
  const limit = state.options.maxSlotsPerMessage;
  const through = chosenThrough(state);
  for (const peer of state.peers) {
    let batch: AcceptedProposal[] = [];
    for (let slot = state.open.first; slot < state.open.end; slot++) {
      const entry = state.open.get(slot);
      if (entry === undefined || entry.sentAt > stale || (entry.acks & ackBit(peer)) !== 0) continue;
      batch.push(entry.proposal);
      if (batch.length === limit) {
        context.send(peer, { type: 'accept', ballot: state.ballot, proposals: batch, chosenThrough: through });
        batch = [];
      }
    }
    if (batch.length > 0) context.send(peer, { type: 'accept', ballot: state.ballot, proposals: batch, chosenThrough: through });
  }
  for (let slot = state.open.first; slot < state.open.end; slot++) {
    const entry = state.open.get(slot);
    if (entry === undefined || entry.sentAt > stale) continue;
    entry.sentAt = context.now;
    state.step.proposed.push(entry.proposal);
  }
}
