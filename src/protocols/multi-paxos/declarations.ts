import type { Declarations, NodeContext } from '../../protocol/protocol.js';
import type { PaxosMessage } from './messages.js';

/** Every message type Multi-Paxos sends, for scenarios (`after: { send: … }`) and `faultline list`. */
export const PAXOS_MESSAGES: Declarations<PaxosMessage['type']> = {
  prepare: 'phase 1a: a proposer asks for a promise on its ballot for every slot from a point on',
  promise: 'phase 1b: a promise, with the values accepted from that point on (and a snapshot below)',
  accept: 'phase 2a: a leader proposes values for slots in its ballot, and says what is chosen',
  accepted: 'phase 2b: an acceptor accepted (and persisted) proposals of a ballot',
  nack: 'a prepare or accept refused, carrying the higher ballot the acceptor promised',
  heartbeat: "a leader's heartbeat: alive, chosen through a slot, lease round",
  'heartbeat-response': 'a heartbeat acknowledged (extends a read lease)',
  'catch-up': 'a lagging learner asks for chosen values from a slot on',
  'catch-up-response': 'chosen values (after a snapshot when the learner is too far behind)',
};

export type PaxosTimer = 'election' | 'heartbeat' | 'check-quorum';

export const PAXOS_TIMERS: Declarations<PaxosTimer> = {
  election: 'followers and candidates: run phase 1 with a new ballot when it fires (randomized, backs off)',
  heartbeat: 'leaders: heartbeat round; retransmit unanswered prepares and accepts',
  'check-quorum': 'leaders: step down unless a quorum was heard from since the last firing',
};

/** Coverage marks: the safety-relevant branches a sweep should reach. */
export type PaxosMark =
  | 'phase1-started'
  | 'phase1-complete'
  | 'value-adopted'
  | 'hole-filled-noop'
  | 'prepare-refused'
  | 'prepare-refused-sticky'
  | 'accept-refused'
  | 'nack-step-down'
  | 'dueling-proposers'
  | 'chosen-out-of-order'
  | 'learned-from-accepted'
  | 'catch-up-served'
  | 'snapshot-taken'
  | 'snapshot-installed'
  | 'snapshot-in-promise'
  | 'window-full'
  | 'lease-read'
  | 'check-quorum-step-down'
  | 'quarantined';

export const PAXOS_MARKS: Declarations<PaxosMark> = {
  'phase1-started': 'a node started phase 1 with a fresh ballot',
  'phase1-complete': 'a proposer gathered a quorum of promises and leads',
  'value-adopted': 'a new leader adopted a value accepted under an earlier ballot',
  'hole-filled-noop': 'a new leader filled a slot no promise reported with a no-op',
  'prepare-refused': 'an acceptor nacked a prepare below its promise',
  'prepare-refused-sticky': 'an acceptor refused a prepare while it hears from a live leader',
  'accept-refused': 'an acceptor nacked an accept below its promise (a stale leader)',
  'nack-step-down': 'a leader or candidate gave up on learning of a higher ballot',
  'dueling-proposers': 'a candidate was preempted by another candidate before its phase 1 completed',
  'chosen-out-of-order': 'a slot was chosen while an earlier slot was still open',
  'learned-from-accepted': "a learner learned a chosen value from its own acceptor's record",
  'catch-up-served': 'a leader answered a catch-up request',
  'snapshot-taken': 'a node compacted its chosen slots into a snapshot',
  'snapshot-installed': 'a node replaced its state with a snapshot from another node',
  'snapshot-in-promise': 'a promise carried a snapshot (the acceptor had compacted past the new leader)',
  'window-full': 'a leader queued a request because its window of open slots was full',
  'lease-read': 'a leader answered a read under its lease, without the log',
  'check-quorum-step-down': 'a leader that lost its quorum stepped down',
  quarantined: 'a node found a corrupt acceptor record and stopped taking part',
};

/** The context every Multi-Paxos handler gets. */
export type PaxosContext = NodeContext<PaxosMessage, PaxosTimer, PaxosMark>;
