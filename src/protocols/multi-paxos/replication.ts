import type { NodeId } from '../../protocol/effects.js';
import { MICROS_PER_MS } from '../../sim/time.js';
import { assert, fail } from '../../util/assert.js';
import { acceptLocally } from './acceptor.js';
import type { PaxosContext } from './declarations.js';
import { learnChosen } from './learner.js';
import type { AcceptedResponse, Proposal, Slot, Value } from './messages.js';
import { chosenThrough, type OpenSlot, type PaxosState, type WaitingRequest } from './state.js';

/**
 * Phase 2 (Paxos Made Simple §3): the leader proposes in its ballot, slot by slot, with at most
 * `windowSlots` slots open at once; a slot is chosen once a quorum (the leader included)
 * accepted it. Slots may be chosen out of order; they apply in order.
 */
export function proposeAll(state: PaxosState, context: PaxosContext, proposals: { slot: Slot; value: Value }[]): void {
  const batch: Proposal[] = [];
  for (const { slot, value } of proposals) batch.push(open(state, context, slot, value, null));
  broadcast(state, context, batch);
  maybeChooseAlone(state, context, batch);
}

/** Proposes waiting client commands while the window has room. */
export function fillWindow(state: PaxosState, context: PaxosContext): void {
  if (state.role !== 'leader' || state.waiting.length === 0) return;
  const batch: Proposal[] = [];
  while (state.waiting.length > 0 && state.open.size < state.options.windowSlots) {
    const request = state.waiting.shift() as WaitingRequest;
    const slot = state.nextSlot++;
    batch.push(open(state, context, slot, { kind: 'client', ...request.command }, request));
  }
  if (batch.length === 0) return;
  broadcast(state, context, batch);
  maybeChooseAlone(state, context, batch);
}

function open(state: PaxosState, context: PaxosContext, slot: Slot, value: Value, request: WaitingRequest | null): Proposal {
  if (state.role !== 'leader') fail(`${state.role} ${state.id} proposes`);
  if (state.open.has(slot)) fail(`leader ${state.id} proposes slot ${slot} twice in ballot ${state.ballot}`);
  const proposal: Proposal = { slot, value };
  const entry: OpenSlot = { value, acks: new Set(), sentAt: context.now, request };
  state.open.set(slot, entry);
  acceptLocally(state, context, state.ballot, proposal);
  state.step.proposed.push({ slot, ballot: state.ballot, value });
  return proposal;
}

function broadcast(state: PaxosState, context: PaxosContext, proposals: Proposal[]): void {
  const limit = state.options.maxSlotsPerMessage;
  const through = chosenThrough(state);
  for (let start = 0; start < proposals.length; start += limit) {
    const chunk = proposals.length <= limit ? proposals : proposals.slice(start, start + limit);
    for (const peer of state.peers) context.send(peer, { type: 'accept', ballot: state.ballot, proposals: chunk, chosenThrough: through });
  }
}

/** A one-node cluster's quorum is the leader alone. */
function maybeChooseAlone(state: PaxosState, context: PaxosContext, proposals: Proposal[]): void {
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
    entry.acks.add(from);
    if (entry.acks.size + 1 >= state.quorum) choose(state, context, slot);
  }
  fillWindow(state, context);
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
    let batch: Proposal[] = [];
    for (const [slot, entry] of state.open) {
      if (entry.sentAt > stale || entry.acks.has(peer)) continue;
      batch.push({ slot, value: entry.value });
      if (batch.length === limit) {
        context.send(peer, { type: 'accept', ballot: state.ballot, proposals: batch, chosenThrough: through });
        batch = [];
      }
    }
    if (batch.length > 0) context.send(peer, { type: 'accept', ballot: state.ballot, proposals: batch, chosenThrough: through });
  }
  for (const [slot, entry] of state.open) {
    if (entry.sentAt > stale) continue;
    entry.sentAt = context.now;
    state.step.proposed.push({ slot, ballot: state.ballot, value: entry.value });
  }
}
