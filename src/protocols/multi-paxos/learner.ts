import type { NodeId } from '../../protocol/effects.js';
import { MICROS_PER_MS } from '../../sim/time.js';
import { assert, fail } from '../../util/assert.js';
import { applyKvCommand, restoreKvStore, snapshotKvStore } from '../kv/store.js';
import type { Ballot } from './ballot.js';
import type { PaxosContext } from './declarations.js';
import type { CatchUpRequest, CatchUpResponse, Proposal, Slot, Snapshot, Value } from './messages.js';
import { firstUnchosen, snapshotSlot, valueKey, type PaxosState } from './state.js';
import { persistSnapshot } from './storage.js';

/**
 * Learning. A value is chosen once a quorum accepted it in one ballot; a learner hears of it from
 * the leader (its `chosenThrough` in accepts and heartbeats), from catch-up answers, or from a
 * snapshot. Chosen slots apply in slot order, without gaps.
 */
export function learnChosen(state: PaxosState, context: PaxosContext, slot: Slot, value: Value): void {
  if (slot <= state.applied) return;
  const known = state.chosen.get(slot);
  if (known !== undefined) {
    if (valueKey(known) !== valueKey(value)) fail(`node ${state.id} learns ${valueKey(value)} in slot ${slot}, chosen ${valueKey(known)}`);
    return;
  }
  state.chosen.set(slot, value);
  applyChosen(state, context);
}

/**
 * The leader of `ballot` says every slot up to `through` is chosen. Where our acceptor accepted
 * that same ballot's proposal, it is the chosen value (a leader proposes one value per slot per
 * ballot). Anything else we ask the leader for.
 */
export function learnFromLeader(state: PaxosState, context: PaxosContext, ballot: Ballot, through: Slot): void {
  let slot = firstUnchosen(state);
  for (; slot <= through; slot++) {
    if (state.chosen.has(slot)) continue;
    const accepted = state.accepted.get(slot);
    if (accepted === undefined || accepted.ballot !== ballot) break;
    context.mark('learned-from-accepted');
    state.chosen.set(slot, accepted.value);
  }
  applyChosen(state, context);
  if (slot <= through && state.leaderId !== null && state.leaderId !== state.id) askCatchUp(state, context, state.leaderId);
}

/** At most one catch-up request per heartbeat interval (answers may be lost; the next one asks again). */
function askCatchUp(state: PaxosState, context: PaxosContext, leader: NodeId): void {
  if (context.now - state.catchUpAskedAt < state.options.heartbeatIntervalMs * MICROS_PER_MS) return;
  state.catchUpAskedAt = context.now;
  context.send(leader, { type: 'catch-up', from: firstUnchosen(state) });
}

/** The leader answers with what it knows chosen from `from` on: a snapshot first if it compacted those slots. */
export function handleCatchUp(state: PaxosState, context: PaxosContext, from: NodeId, request: CatchUpRequest): void {
  if (state.role !== 'leader') return;
  const snapshot = state.snapshot !== null && request.from <= state.snapshot.slot ? state.snapshot : null;
  const chosen: Proposal[] = [];
  let slot = snapshot === null ? request.from : snapshot.slot + 1;
  for (; chosen.length < state.options.maxSlotsPerMessage; slot++) {
    const value = state.chosen.get(slot);
    if (value === undefined) break;
    chosen.push({ slot, value });
  }
  if (snapshot === null && chosen.length === 0) return;
  context.mark('catch-up-served');
  context.send(from, { type: 'catch-up-response', ballot: state.ballot, snapshot, chosen });
}

export function handleCatchUpResponse(state: PaxosState, context: PaxosContext, response: CatchUpResponse): void {
  if (response.snapshot !== null && response.snapshot.slot > state.applied) installSnapshot(state, context, response.snapshot);
  for (const proposal of response.chosen) if (proposal.slot > state.applied) state.chosen.set(proposal.slot, proposal.value);
  applyChosen(state, context);
  // A full answer means there is more: ask again at once.
  if (response.chosen.length === state.options.maxSlotsPerMessage && state.leaderId !== null && state.leaderId !== state.id) {
    state.catchUpAskedAt = -Infinity;
    askCatchUp(state, context, state.leaderId);
  }
}

/** Applies chosen slots in order; the leader answers the request waiting on each. */
function applyChosen(state: PaxosState, context: PaxosContext): void {
  for (;;) {
    const slot = state.applied + 1;
    const value = state.chosen.get(slot);
    if (value === undefined) break;
    state.applied = slot;
    state.step.applied.push({ slot, value });
    const request = state.awaitingApply.get(slot);
    if (value.kind === 'noop') {
      assert(request === undefined, 'a no-op answers no request');
      continue;
    }
    const response = applyKvCommand(state.kv, value);
    if (request === undefined) continue;
    state.awaitingApply.delete(slot);
    if (request.command.clientId !== value.clientId || request.command.sequence !== value.sequence) fail(`slot ${slot} applied another request's value`);
    context.reply(request.requestId, response);
  }
  maybeSnapshot(state, context);
}

/** Compacts once `snapshotThreshold` applied slots sit after the last snapshot. */
function maybeSnapshot(state: PaxosState, context: PaxosContext): void {
  if (state.applied - snapshotSlot(state) < state.options.snapshotThreshold) return;
  const snapshot: Snapshot = { slot: state.applied, data: snapshotKvStore(state.kv) };
  compactTo(state, context, snapshot);
  context.mark('snapshot-taken');
}

/** Replaces the state machine with another node's snapshot of chosen slots. */
export function installSnapshot(state: PaxosState, context: PaxosContext, snapshot: Snapshot): void {
  if (snapshot.slot <= state.applied) fail(`snapshot at ${snapshot.slot} does not advance applied ${state.applied}`);
  const kv = restoreKvStore(snapshot.data);
  assert(kv !== undefined, 'a snapshot from another node is readable');
  state.kv = kv;
  state.applied = snapshot.slot;
  compactTo(state, context, snapshot);
  state.step.installedSnapshot = snapshot.slot;
  context.mark('snapshot-installed');
  applyChosen(state, context);
}

/**
 * Persists the snapshot, then forgets accepted records and chosen values it covers. Neither map
 * holds a slot at or below the previous snapshot (each compaction removed them, and nothing adds
 * one), so the slots between the two snapshots are all there is to look at.
 */
function compactTo(state: PaxosState, context: PaxosContext, snapshot: Snapshot): void {
  const previous = snapshotSlot(state);
  const compacted: Slot[] = [];
  for (let slot = snapshot.slot; slot > previous; slot--) if (state.accepted.has(slot)) compacted.push(slot);
  persistSnapshot(state, context, snapshot, compacted);
  for (const slot of compacted) state.accepted.delete(slot);
  for (let slot = previous + 1; slot <= snapshot.slot; slot++) state.chosen.delete(slot);
  state.snapshot = snapshot;
}
