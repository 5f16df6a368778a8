import type { Json } from '../../history/operation.js';
import type { KvCommand } from '../kv/store.js';
import type { Ballot } from './ballot.js';

/** A position in the replicated log. Slots start at 1; 0 means "none" (nothing chosen yet). */
export type Slot = number;

/** What a slot can hold: a client command, or the no-op a new leader fills a hole with. */
export type Value = { kind: 'noop' } | ({ kind: 'client' } & KvCommand);

/** A value proposed for a slot (phase 2a), or learned chosen there. Immutable once built. */
export type Proposal = { slot: Slot; value: Value };

/** What an acceptor accepted in a slot: the ballot and the value (reported in phase 1b). */
export type AcceptedProposal = { slot: Slot; ballot: Ballot; value: Value };

/** The state machine after every slot up to `slot` was applied. */
export type Snapshot = { slot: Slot; data: Json };

/**
 * Every Multi-Paxos message. `ballot` is always the ballot the exchange is about: the proposer's
 * in requests, the one being answered in responses. Responses from acceptors also say what the
 * acceptor has promised, so the proposer learns of a higher ballot (the nack rule).
 */
export type PaxosMessage =
  | PrepareRequest
  | PromiseResponse
  | AcceptRequest
  | AcceptedResponse
  | NackResponse
  | HeartbeatRequest
  | HeartbeatResponse
  | CatchUpRequest
  | CatchUpResponse;

/** Phase 1a: "promise me `ballot` for every slot from `from` on". */
export type PrepareRequest = { type: 'prepare'; ballot: Ballot; from: Slot };

/**
 * Phase 1b: the acceptor promised `ballot`. It reports what it accepted in slots >= the request's
 * `from`, and, when it has compacted slots at or above `from`, the snapshot that covers them
 * (those slots are chosen; their accepted records are gone).
 */
export type PromiseResponse = { type: 'promise'; ballot: Ballot; accepted: AcceptedProposal[]; snapshot: Snapshot | null };

/**
 * Phase 2a for a batch of slots, with the slot below which the leader knows every value chosen.
 * Each proposal carries the request's ballot, so an acceptor keeps the proposal it was sent as
 * its accepted record instead of building one (one object per slot, not one per acceptor).
 */
export type AcceptRequest = { type: 'accept'; ballot: Ballot; proposals: AcceptedProposal[]; chosenThrough: Slot };

/** Phase 2b: the acceptor accepted `ballot`'s proposals in these slots (and persisted them). */
export type AcceptedResponse = { type: 'accepted'; ballot: Ballot; slots: Slot[] };

/** A prepare or accept refused: the acceptor has promised `promised` (which may be higher). */
export type NackResponse = { type: 'nack'; ballot: Ballot; promised: Ballot };

/** The leader is alive; every slot up to `chosenThrough` is chosen. `round` numbers lease rounds. */
export type HeartbeatRequest = { type: 'heartbeat'; ballot: Ballot; chosenThrough: Slot; round: number };

export type HeartbeatResponse = { type: 'heartbeat-response'; ballot: Ballot; round: number };

/** A learner that lags asks the leader for the chosen values from `from` on. */
export type CatchUpRequest = { type: 'catch-up'; from: Slot };

/** Chosen values (in slot order, contiguous), after a snapshot when the learner is too far behind. */
export type CatchUpResponse = { type: 'catch-up-response'; ballot: Ballot; snapshot: Snapshot | null; chosen: Proposal[] };
