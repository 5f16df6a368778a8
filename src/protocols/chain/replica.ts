import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { assert } from '../../util/assert.js';
import { applyKvCommand, createKvStore, executeKvOperation, isKvWrite, parseKvOperation, restoreKvStore, snapshotKvStore, type KvCommand } from '../kv/index.js';
import type { ChainContext } from './declarations.js';
import type { ChainConfig, ChainMessage } from './messages.js';
import { APPLIED_MAX, extendHash, IN_FLIGHT_MAX, predecessorOf, successorOf, tailOf, type ChainState, type ReplicaState } from './state.js';
import { millis } from '../../sim/time.js';

type StateTransfer = Extract<ChainMessage, { type: 'state' }>;

/** Written once at the first start: a replica that finds it has restarted, with its memory lost. */
const STARTED_KEY = 'started';

/**
 * Replicas keep their state in memory only (fail-stop, as in the paper): a restarted replica
 * knows it lost its state, reports it, and is moved to the tail by the master to be filled
 * again from the old tail. Only a replica's first start makes it a valid (empty) member of the
 * initial chain, which it knows without the master: it is the configuration before any is
 * committed (version 1, every replica in id order).
 */
export function recoverReplica(state: ChainState, disk: DurableReader, context: ChainContext): ReplicaState {
  const restarted = disk.read(STARTED_KEY).kind !== 'missing';
  if (!restarted) context.persist(STARTED_KEY, true);
  return {
    config: restarted ? null : state.initial,
    joined: restarted ? 0 : 1,
    hasState: !restarted,
    store: createKvStore(),
    lastSeq: 0,
    base: 0,
    hashes: [0],
    inFlight: [],
    acked: 0,
    progressAt: context.now,
    pending: new Map(),
    stateSent: null,
    restarted,
    nonce: context.random.int(0x7fffffff),
    leaseUntil: 0,
    clockSeen: context.now,
    leaseFloor: Number.NEGATIVE_INFINITY,
    takeNextAsNext: false,
  };
}

/**
 * Before every step: a replica whose local clock went back (a clock stepped backwards) drops its
 * read lease, which it measured on that clock, and trusts no confirmation of a heartbeat sent
 * before the step (their send times are ahead of its clock now), until the clock passes the
 * highest time it had seen. A clock stepped forward only shortens a lease.
 */
export function noteClock(state: ChainState, context: ChainContext): void {
  const replica = state.replica!;
  if (context.now < replica.clockSeen) {
    context.mark('clock-went-back');
    replica.leaseUntil = 0;
    replica.leaseFloor = replica.clockSeen;
  }
  replica.clockSeen = Math.max(replica.clockSeen, context.now);
}

/** Every master node gets the heartbeat: only the acting master answers, and a new one hears every replica at once. */
export function onHeartbeatTimer(state: ChainState, context: ChainContext): void {
  const replica = state.replica!;
  const heartbeat = { type: 'replica-heartbeat', version: replica.config?.version ?? 0, joined: replica.hasState ? replica.joined : 0, sentAt: context.now } as const;
  for (const master of state.masters) context.send(master, heartbeat);
}

/** Sent under a configuration in which both this replica and the sender already held their current memberships. */
function current(replica: ReplicaState, from: NodeId, version: number): boolean {
  const since = replica.config?.since[String(from)];
  return since !== undefined && version >= since && version >= replica.joined;
}

const isMember = (replica: ReplicaState, id: NodeId) => replica.config !== null && replica.config.chain.includes(id) && replica.hasState;

/**
 * A configuration from a master node (each version has one configuration: older ones are
 * ignored). What changes for this replica (paper §3):
 * - it was (re)added: it drops its store and waits for the old tail's state;
 * - its successor was removed: it resends what it has in flight to the new successor;
 * - its successor is a node just added: it sends its whole state;
 * - it became the tail: everything it applied is now committed, so it acknowledges it all.
 */
export function onConfig(state: ChainState, config: ChainConfig, read: boolean, echo: number | null, context: ChainContext): void {
  const replica = state.replica!;
  const old = replica.config;
  // Restarted: only a configuration read after this incarnation started is at least as new as what the previous one knew.
  if (old === null && !read) return;
  if (old !== null && config.version < old.version) return;
  if (old === null || config.version > old.version) {
    replica.config = config;
    // A lease belongs to one tail epoch: a node that becomes the tail starts without one.
    if (old === null || old.tailFrom !== config.tailFrom) replica.leaseUntil = 0;
    const since = config.since[String(state.id)];
    if (since !== undefined && since > replica.joined) reset(replica, since);
    if (isMember(replica, state.id)) adjustNeighbours(state, old, config, context);
    else fetchState(state, context);
  }
  // The read lease: the acting master confirmed (by a Raft read issued after a heartbeat sent at
  // `echo`) that this is the configuration, with this node its tail (see master.ts for why it is safe).
  if (echo !== null && echo > replica.leaseFloor && echo <= context.now && config.version === replica.config!.version && tailOf(config) === state.id && isMember(replica, state.id)) {
    replica.leaseUntil = Math.max(replica.leaseUntil, echo + millis(state.options.readLeaseMs));
  }
}

function reset(replica: ReplicaState, since: number): void {
  replica.joined = since;
  replica.hasState = false;
  replica.store = createKvStore();
  replica.lastSeq = 0;
  replica.base = 0;
  replica.hashes = [0];
  replica.inFlight = [];
  replica.acked = 0;
  replica.pending.clear();
  replica.stateSent = null;
  replica.leaseUntil = 0;
}

function adjustNeighbours(state: ChainState, old: ChainConfig | null, config: ChainConfig, context: ChainContext): void {
  const replica = state.replica!;
  const id = state.id;
  const wasMember = old !== null && old.chain.includes(id) && old.since[String(id)] === replica.joined;
  const oldSuccessor = wasMember ? successorOf(old, id) : undefined;
  const oldPredecessor = wasMember ? predecessorOf(old, id) : undefined;
  const successor = successorOf(config, id);
  const predecessor = predecessorOf(config, id);
  if (wasMember && oldPredecessor !== undefined && predecessor === undefined) context.mark('head-changed');
  if (wasMember && predecessor !== oldPredecessor && predecessor !== undefined && state.options.unsafeNoResendOnRemoval) replica.takeNextAsNext = true;
  if (wasMember && successor === oldSuccessor) return;
  replica.stateSent = null;
  if (successor === undefined) {
    // The tail now: all it applied has reached the tail.
    if (wasMember) context.mark('tail-changed');
    replica.inFlight = [];
    acknowledge(state, replica.lastSeq, context);
    return;
  }
  const added = old === null || !old.chain.includes(successor) || old.since[String(successor)] !== config.since[String(successor)];
  if (added) {
    sendState(state, successor, context);
    return;
  }
  context.mark('middle-removed');
  if (state.options.unsafeNoResendOnRemoval) {
    replica.inFlight = [];
    return;
  }
  // A replica refilled from a state holds the updates it installed as a store, not one by one:
  // when they are not all in flight, the new successor (which may lack some) is sent the state.
  const first = replica.inFlight[0];
  if (replica.lastSeq > replica.acked && (first === undefined || first.seq > replica.acked + 1)) {
    sendState(state, successor, context);
    return;
  }
  resendInFlight(state, successor, context);
}

export function onReplicaRequest(state: ChainState, request: ClientRequest, context: ChainContext): void {
  const replica = state.replica!;
  const config = replica.config;
  const operation = parseKvOperation(request.operation);
  if (typeof operation === 'string') {
    context.reply(request.requestId, { status: 'fail', error: operation });
    return;
  }
  const head = config?.chain[0] ?? null;
  const tail = config?.chain[config.chain.length - 1] ?? null;
  const write = isKvWrite(operation);
  if (!isMember(replica, state.id)) {
    context.reply(request.requestId, { status: 'redirect', leaderHint: (write ? head : tail) === state.id ? null : write ? head : tail });
    return;
  }
  if (!write) {
    if (tail !== state.id && !state.options.unsafeReadFromAnyReplica) {
      context.reply(request.requestId, { status: 'redirect', leaderHint: tail });
      return;
    }
    if (tail === state.id && context.now >= replica.leaseUntil) {
      context.mark('read-lease-expired');
      context.reply(request.requestId, { status: 'redirect', leaderHint: null });
      return;
    }
    context.reply(request.requestId, executeKvOperation(replica.store, operation));
    return;
  }
  if (head !== state.id) {
    context.reply(request.requestId, { status: 'redirect', leaderHint: head });
    return;
  }
  if (replica.inFlight.length >= IN_FLIGHT_MAX) {
    context.reply(request.requestId, { status: 'redirect', leaderHint: null });
    return;
  }
  const command: KvCommand = { clientId: request.clientId, sequence: request.sequence, operation };
  const seq = replica.lastSeq + 1;
  const response = apply(replica, seq, command);
  const successor = successorOf(config!, state.id);
  if (successor === undefined) {
    context.reply(request.requestId, response);
    return;
  }
  replica.pending.set(seq, { requestId: request.requestId, response });
  replica.inFlight.push({ seq, command });
  context.send(successor, { type: 'update', version: config!.version, seq, command });
}

/** An update from the predecessor: applied in seq order only (a gap waits for the resend). */
export function onUpdate(state: ChainState, from: NodeId, version: number, seq: number, command: KvCommand, context: ChainContext): void {
  const replica = state.replica!;
  if (!isMember(replica, state.id) || predecessorOf(replica.config!, state.id) !== from || !current(replica, from, version)) return;
  const successor = successorOf(replica.config!, state.id);
  if (seq <= replica.lastSeq) {
    if (successor === undefined) context.send(from, { type: 'ack', version: replica.config!.version, seq: replica.lastSeq });
    return;
  }
  if (seq > replica.lastSeq + 1) {
    if (!replica.takeNextAsNext) {
      context.mark('update-gap');
      return;
    }
    // Planted bug: the new predecessor's stream is taken as continuing this replica's; the
    // skipped positions are recorded as missing, so the applied sequence says what happened.
    while (replica.lastSeq + 1 < seq) {
      replica.hashes.push(extendHash(replica.hashes[replica.hashes.length - 1]!, replica.lastSeq + 1, 'missing'));
      replica.lastSeq++;
    }
  }
  replica.takeNextAsNext = false;
  apply(replica, seq, command);
  if (successor === undefined) {
    context.send(from, { type: 'ack', version: replica.config!.version, seq });
    return;
  }
  assert(replica.inFlight.length < IN_FLIGHT_MAX, 'in-flight updates stay within IN_FLIGHT_MAX');
  replica.inFlight.push({ seq, command });
  context.send(successor, { type: 'update', version: replica.config!.version, seq, command });
}

export function onAck(state: ChainState, from: NodeId, version: number, seq: number, context: ChainContext): void {
  const replica = state.replica!;
  if (!isMember(replica, state.id) || successorOf(replica.config!, state.id) !== from || !current(replica, from, version)) return;
  if (replica.stateSent !== null && seq >= replica.stateSent.seq) replica.stateSent = null;
  if (seq <= replica.acked) return;
  replica.progressAt = context.now;
  acknowledge(state, seq, context);
}

/** Everything up to `seq` reached the tail: forget it, answer its clients (head) or pass it up. */
function acknowledge(state: ChainState, seq: number, context: ChainContext): void {
  const replica = state.replica!;
  replica.acked = Math.max(replica.acked, seq);
  while (replica.inFlight.length > 0 && replica.inFlight[0]!.seq <= seq) replica.inFlight.shift();
  const predecessor = predecessorOf(replica.config!, state.id);
  if (predecessor !== undefined) {
    context.send(predecessor, { type: 'ack', version: replica.config!.version, seq });
    return;
  }
  for (const [pendingSeq, pending] of replica.pending) {
    if (pendingSeq > seq) continue;
    replica.pending.delete(pendingSeq);
    context.reply(pending.requestId, pending.response);
  }
}

/**
 * A predecessor's whole state arrives: a node added at the tail (or refilled after a restart)
 * installs it. So does a member whose own state is behind it: by the prefix order the
 * predecessor's state holds everything this one has. It then passes its state on to its own
 * successor, which may be waiting for it too (or may be missing what a restart lost).
 */
export function onState(state: ChainState, from: NodeId, message: StateTransfer, context: ChainContext): void {
  const replica = state.replica!;
  const config = replica.config;
  if (config === null || !config.chain.includes(state.id) || predecessorOf(config, state.id) !== from || !current(replica, from, message.version)) return;
  if (config.since[String(state.id)] !== replica.joined) return;
  // A restarted replica refilled in place keeps its old `joined`, so the version check lets
  // through what was sent to its previous incarnation (a state from a predecessor's previous
  // incarnation, older than what that one had passed on): it installs only an answer to its own fetch.
  if (replica.restarted && !replica.hasState && message.nonce !== replica.nonce) return;
  const successor = successorOf(config, state.id);
  if (!replica.hasState || message.seq > replica.lastSeq) {
    const store = restoreKvStore(message.store);
    assert(store !== undefined, 'a state transfer carries a well-formed store');
    replica.store = store;
    replica.lastSeq = message.seq;
    replica.base = message.seq;
    replica.hashes = [message.hash];
    replica.hasState = true;
    replica.inFlight = [];
    context.mark('state-transferred');
    if (successor !== undefined) sendState(state, successor, context);
  }
  if (successor === undefined) context.send(from, { type: 'ack', version: replica.config!.version, seq: replica.lastSeq });
}

/** A member without its state asks its predecessor for it (on joining, and on every retry tick). */
function fetchState(state: ChainState, context: ChainContext): void {
  const replica = state.replica!;
  const config = replica.config;
  if (config === null || replica.hasState || config.since[String(state.id)] !== replica.joined) return;
  const predecessor = predecessorOf(config, state.id);
  if (predecessor !== undefined) context.send(predecessor, { type: 'fetch', version: config.version, nonce: replica.nonce });
}

export function onFetch(state: ChainState, from: NodeId, version: number, nonce: number, context: ChainContext): void {
  const replica = state.replica!;
  if (!isMember(replica, state.id) || successorOf(replica.config!, state.id) !== from || !current(replica, from, version)) return;
  sendState(state, from, context, nonce);
}

/** Resends unacknowledged updates and an unconfirmed state transfer; a member without state asks for it. */
export function onRetry(state: ChainState, context: ChainContext): void {
  const replica = state.replica!;
  fetchState(state, context);
  if (!isMember(replica, state.id)) return;
  const successor = successorOf(replica.config!, state.id);
  if (successor === undefined) return;
  const limit = millis(state.options.retryMs);
  if (replica.stateSent !== null && context.now - replica.stateSent.at >= limit) sendState(state, successor, context, replica.stateSent.nonce);
  if (replica.inFlight.length > 0 && context.now - replica.progressAt >= limit) resendInFlight(state, successor, context);
}

function resendInFlight(state: ChainState, successor: NodeId, context: ChainContext): void {
  const replica = state.replica!;
  replica.progressAt = context.now;
  if (replica.inFlight.length === 0) return;
  context.mark('in-flight-resent');
  for (const update of replica.inFlight) context.send(successor, { type: 'update', version: replica.config!.version, seq: update.seq, command: update.command });
}

function sendState(state: ChainState, successor: NodeId, context: ChainContext, nonce: number | null = null): void {
  const replica = state.replica!;
  replica.stateSent = { to: successor, seq: replica.lastSeq, at: context.now, nonce };
  replica.progressAt = context.now;
  context.send(successor, { type: 'state', version: replica.config!.version, seq: replica.lastSeq, hash: replica.hashes[replica.hashes.length - 1]!, store: snapshotKvStore(replica.store), nonce });
}

function apply(replica: ReplicaState, seq: number, command: KvCommand) {
  assert(replica.hashes.length < APPLIED_MAX, 'applied updates stay within APPLIED_MAX');
  const response = applyKvCommand(replica.store, command);
  const previous = replica.hashes[replica.hashes.length - 1]!;
  replica.hashes.push(extendHash(previous, seq, JSON.stringify(command)));
  replica.lastSeq = seq;
  return response;
}
