import type { Json } from '../../history/operation.js';
import type { ClientRequest, ClientResponse } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { millis } from '../../sim/time.js';
import { assert } from '../../util/assert.js';
import { isKvWrite, parseKvOperation } from '../kv/index.js';
import { DEFAULT_RAFT_OPTIONS, type RaftContext, type RaftMessage, type RaftState, type RaftTimer } from '../raft/index.js';
import { initRaft, onRaftClientRequest, onRaftMessage, onRaftTimer } from '../raft/node.js';
import { hasCommittedInCurrentTerm } from '../raft/state.js';
import type { ChainContext } from './declarations.js';
import type { ChainConfig, ChainMessage } from './messages.js';
import { CONFIG_KEY, CONFIRMATIONS_MAX, tailOf, type ChainState, type MasterState } from './state.js';

type Heartbeat = Extract<ChainMessage, { type: 'replica-heartbeat' }>;

/** Raft client ids of the master nodes' own proposals and reads: above every workload client's. */
const MASTER_CLIENT_BASE = 2_000_000_000;
/** Proposal sequence numbers are term × this + a count, so a later term's proposals are never taken for retries. */
const SEQUENCES_PER_TERM = 1_000_000;

/*
 * The configuration master is a Raft group (nodes 0..masters-1, the project's own Raft, as the
 * lock service embeds it). The configuration lives in Raft's key-value state machine under
 * CONFIG_KEY; absent, it is the initial one (every replica, in id order, version 1).
 *
 * Only the *acting master* decides: the Raft leader that has committed an entry of its own term,
 * so its applied state holds every configuration committed before it (Leader Completeness). It
 * starts its failure clocks afresh when it takes over (it cannot know when replicas were last
 * heard), decides from replicas' heartbeats as the single master did, and proposes each new
 * configuration as a compare-and-set of CONFIG_KEY from the applied value to the next version:
 * a proposal made from a configuration that has since changed (a deposed leader's, or one
 * overtaken in the log) fails and changes nothing, so versions go up by one along the log and
 * no two configurations ever share a version. One proposal at a time; only an applied
 * configuration is ever sent to a replica.
 *
 * The tail's read lease. The tail answers reads until sentAt + readLeaseMs (its own clock) of a
 * heartbeat the acting master confirmed; the master confirms a tail heartbeat with a Raft read
 * of CONFIG_KEY (ReadIndex: a quorum acknowledges a round sent after the heartbeat arrived),
 * and echoes sentAt only if the read returned a configuration whose tail is that node. Why no
 * other node serves reads as tail while that lease runs:
 *  1. the read, issued at the heartbeat's arrival r, reflects every configuration committed
 *     before r; it returned C (tail t), so a configuration C' that makes another node the tail
 *     was committed after r, hence applied at any master node after r;
 *  2. a master leader grants a lease to the tail of C' only failureTimeoutMs after it applied a
 *     configuration with C's tail epoch (`tailFrom`), so at the earliest at r + failureTimeoutMs;
 *  3. a replica's lease belongs to one tail epoch: becoming the tail starts without one;
 *  4. t's lease ends by sentAt + readLeaseMs < r + readLeaseMs < r + failureTimeoutMs.
 * This holds whoever the master leader is at each moment: a deposed leader still granting leases
 * (it has not heard of the new term) cannot confirm a read once a new leader has been elected,
 * since any quorum it hears from has a member that voted in the new term (terms are persisted,
 * so restarts do not matter). The margin failureTimeoutMs − readLeaseMs (50 ms by default)
 * absorbs clock-rate differences, as the single master's did. A tail whose clock goes back
 * drops its lease (replica.ts, noteClock); a clock stepped forward on the master leader is not
 * guarded against, as for every lease. Raft's leader lease
 * (election timeout) is not relied on: a restarted follower may vote inside it.
 */

/** The context Raft runs in: the host's, with the cluster narrowed to the master nodes and Raft's replies routed to the master. */
function raftContext(state: ChainState, context: ChainContext): RaftContext {
  return {
    id: context.id,
    nodes: state.masters,
    get now() {
      return context.now;
    },
    random: context.random,
    send: (to, message) => context.send(to, message),
    setTimer: (name, delay) => context.setTimer(name, delay),
    cancelTimer: (name) => context.cancelTimer(name),
    persist: (key, value) => context.persist(key, value),
    mark: (name) => context.mark(name),
    reply: (requestId, response) => onRaftReply(state, requestId, response, context),
  };
}

export function initMaster(state: ChainState, disk: DurableReader, context: ChainContext): MasterState {
  const master: MasterState = {
    raft: undefined as never,
    raftStepped: true,
    actingTerm: 0,
    lastHeard: new Map(),
    addedAt: new Map(),
    proposal: null,
    proposalSequence: 0,
    confirmations: new Map(),
    nextRequestId: 1,
    announced: 0,
    tailEpoch: { tailFrom: 0, appliedAt: context.now },
  };
  state.master = master;
  master.raft = initRaft(raftContext(state, context), disk, DEFAULT_RAFT_OPTIONS);
  if (master.raft.bootedFromDisk) context.mark('master-recovered');
  trackTailEpoch(state, context.now);
  return master;
}

/** The configuration as this master node's Raft state machine has applied it. */
export function appliedConfig(raft: RaftState, initial: ChainConfig): ChainConfig {
  const stored = raft.kv.data.get(CONFIG_KEY);
  return stored === undefined || stored === null ? initial : (stored as unknown as ChainConfig);
}

/** The Raft leader that has committed an entry of its term: its applied configuration is the latest committed. */
export function isActingMaster(master: MasterState): boolean {
  return master.raft.role === 'leader' && master.raft.health.kind !== 'quarantined' && hasCommittedInCurrentTerm(master.raft);
}

export function onMasterRaftMessage(state: ChainState, from: NodeId, message: RaftMessage, context: ChainContext): void {
  const master = state.master!;
  master.raftStepped = true;
  onRaftMessage(master.raft, from, message, raftContext(state, context));
  afterRaftStep(state, context);
}

export function onMasterRaftTimer(state: ChainState, name: RaftTimer, context: ChainContext): void {
  const master = state.master!;
  master.raftStepped = true;
  onRaftTimer(master.raft, name, raftContext(state, context));
  afterRaftStep(state, context);
}

/** A configuration applied with a new tail epoch starts that tail's wait for its first lease (see above, 2). */
function trackTailEpoch(state: ChainState, now: number): void {
  const master = state.master!;
  const config = appliedConfig(master.raft, state.initial);
  if (config.tailFrom !== master.tailEpoch.tailFrom) master.tailEpoch = { tailFrom: config.tailFrom, appliedAt: now };
}

/** After every Raft step: a leader that has just committed in its term takes over; a newly applied configuration is announced. */
function afterRaftStep(state: ChainState, context: ChainContext): void {
  const master = state.master!;
  trackTailEpoch(state, context.now);
  const config = appliedConfig(master.raft, state.initial);
  if (master.raft.role !== 'leader') {
    // Raft answered the outstanding proposal and reads as it stepped down; nothing of this term is kept.
    master.proposal = null;
    if (master.confirmations.size > 0) master.confirmations.clear();
    return;
  }
  if (master.proposal !== null && config.version >= master.proposal.version) master.proposal = null;
  if (!isActingMaster(master)) return;
  if (master.actingTerm !== master.raft.currentTerm) {
    takeOver(state, config, context);
    return;
  }
  if (config.version > master.announced) announce(state, config, context);
}

/**
 * A new acting master gives every replica a full failure timeout from now (it cannot know when
 * each was last heard, and must not remove everyone at once) and announces what it applied.
 */
function takeOver(state: ChainState, config: ChainConfig, context: ChainContext): void {
  const master = state.master!;
  master.actingTerm = master.raft.currentTerm;
  master.lastHeard.clear();
  master.addedAt.clear();
  for (const node of state.replicas) {
    master.lastHeard.set(node, context.now);
    master.addedAt.set(node, context.now);
  }
  master.proposal = null;
  master.proposalSequence = 0;
  context.mark('master-took-over');
  announce(state, config, context);
}

function announce(state: ChainState, config: ChainConfig, context: ChainContext): void {
  const master = state.master!;
  assert(config.version >= master.announced, 'an acting master never announces an older configuration than it did before');
  master.announced = config.version;
  for (const node of state.replicas) context.send(node, { type: 'config', config, read: false, echo: null });
}

/**
 * A heartbeat at the acting master (the others ignore it). A node outside the chain is added at
 * the tail; a member that lost its state (it restarted) or never got it is moved to the tail to
 * be filled again. A replica behind is sent the applied configuration. The heartbeats of the
 * tail and of a restarted replica are confirmed by a Raft read, and answered with the
 * configuration read then (the tail's with its lease). A restarted replica takes only such a
 * configuration as its first: an announcement delayed in the network, or one a deposed leader
 * resumes sending, may be older than what its previous incarnation knew, and it would refill
 * itself from a predecessor that has left the chain since (chain-swarm, a run with a paused
 * master leader: the replica installed the state of a member removed long before).
 */
export function onMasterHeartbeat(state: ChainState, from: NodeId, heartbeat: Heartbeat, context: ChainContext): void {
  const master = state.master!;
  if (!isActingMaster(master) || !state.replicas.includes(from)) return;
  master.lastHeard.set(from, context.now);
  const config = appliedConfig(master.raft, state.initial);
  const key = String(from);
  // A restarted replica (version 0) waits for a configuration read for it (below); one behind gets the applied one now.
  if (heartbeat.version !== config.version && heartbeat.version !== 0) context.send(from, { type: 'config', config, read: false, echo: null });
  if (master.proposal === null) {
    const settled = heartbeat.version === config.version;
    if (!config.chain.includes(from)) {
      context.mark('member-added');
      propose(state, nextConfig(config, [...config.chain, from], [from]), [from], context);
    } else if (settled && heartbeat.joined !== config.since[key] && context.now - (master.addedAt.get(from) ?? 0) > millis(state.options.failureTimeoutMs) && config.chain.length > 1) {
      context.mark('rejoined-after-restart');
      propose(state, nextConfig(config, [...config.chain.filter((node) => node !== from), from], [from]), [from], context);
    }
  }
  const tail = tailOf(config) === from && heartbeat.joined === config.since[key];
  if (master.raftStepped || !(tail || heartbeat.version === 0)) return;
  if (master.confirmations.size >= CONFIRMATIONS_MAX) return;
  const requestId = master.nextRequestId++;
  master.confirmations.set(requestId, { from, sentAt: heartbeat.sentAt });
  master.raftStepped = true;
  onRaftClientRequest(master.raft, { requestId, clientId: MASTER_CLIENT_BASE + state.id, sequence: 0, operation: { f: 'read', key: CONFIG_KEY, value: null } }, raftContext(state, context));
  afterRaftStep(state, context);
}

/** The acting master proposes the removal of the members not heard from for failureTimeoutMs (never the last one). */
export function onMasterCheck(state: ChainState, context: ChainContext): void {
  const master = state.master!;
  if (!isActingMaster(master) || master.proposal !== null) return;
  const config = appliedConfig(master.raft, state.initial);
  const limit = millis(state.options.failureTimeoutMs);
  const silent = config.chain.filter((node) => context.now - (master.lastHeard.get(node) ?? 0) > limit);
  if (silent.length === 0) return;
  let chain = config.chain.filter((node) => !silent.includes(node));
  if (chain.length === 0) chain = [config.chain[config.chain.length - 1]!];
  if (chain.length === config.chain.length) return;
  for (let i = 0; i < config.chain.length - chain.length; i++) context.mark('member-removed');
  propose(state, nextConfig(config, chain, []), [], context);
}

/** The configuration after `config` with this chain; `added` nodes join (again) at the new version. */
export function nextConfig(config: ChainConfig, chain: NodeId[], added: NodeId[]): ChainConfig {
  const version = config.version + 1;
  const since = Object.fromEntries(chain.map((node) => [String(node), added.includes(node) ? version : config.since[String(node)]!]));
  const tail = chain[chain.length - 1]!;
  const oldTail = tailOf(config);
  const sameTail = tail === oldTail && since[String(tail)] === config.since[String(oldTail)];
  return { version, chain, since, tailFrom: sameTail ? config.tailFrom : version };
}

/**
 * The compare-and-set a proposal is: CONFIG_KEY from the value applied when it was made (null:
 * never written, the initial configuration) to `next`. Applied after any other change, it fails.
 */
export function proposalCommand(stored: Json | null, next: ChainConfig): { f: 'cas'; key: string; value: Json } {
  return { f: 'cas', key: CONFIG_KEY, value: [stored, next as unknown as Json] };
}

function propose(state: ChainState, next: ChainConfig, added: NodeId[], context: ChainContext): void {
  const master = state.master!;
  const raft = master.raft;
  assert(master.proposal === null, 'one configuration proposal at a time');
  assert(!master.raftStepped, 'one Raft step per chain step (Raft observers read the step record)');
  master.proposalSequence++;
  assert(master.proposalSequence < SEQUENCES_PER_TERM, 'proposals in one term stay within SEQUENCES_PER_TERM');
  const requestId = master.nextRequestId++;
  master.proposal = { requestId, version: next.version };
  for (const node of added) master.addedAt.set(node, context.now);
  context.mark('config-proposed');
  master.raftStepped = true;
  const request: ClientRequest = {
    requestId,
    clientId: MASTER_CLIENT_BASE + state.id,
    sequence: raft.currentTerm * SEQUENCES_PER_TERM + master.proposalSequence,
    operation: proposalCommand(raft.kv.data.get(CONFIG_KEY) ?? null, next),
  };
  onRaftClientRequest(raft, request, raftContext(state, context));
  afterRaftStep(state, context);
}

/** Raft's answer to one of this node's own requests: a lease confirmation (a read) or a proposal. */
function onRaftReply(state: ChainState, requestId: number, response: ClientResponse, context: ChainContext): void {
  const master = state.master!;
  const confirmation = master.confirmations.get(requestId);
  if (confirmation !== undefined) {
    master.confirmations.delete(requestId);
    if (response.status !== 'ok') return;
    trackTailEpoch(state, context.now);
    const value = response.value ?? null;
    const config = value === null ? state.initial : (value as unknown as ChainConfig);
    let echo: number | null = null;
    if (tailOf(config) === confirmation.from && config.tailFrom === master.tailEpoch.tailFrom) {
      if (context.now - master.tailEpoch.appliedAt >= millis(state.options.failureTimeoutMs)) echo = confirmation.sentAt;
      else context.mark('new-tail-lease-waits');
    }
    context.send(confirmation.from, { type: 'config', config, read: true, echo });
    return;
  }
  if (master.proposal !== null && master.proposal.requestId === requestId) {
    master.proposal = null;
    if (response.status === 'fail' && response.error === 'cas mismatch') context.mark('stale-proposal-refused');
  }
}

/** A master node redirects a write to the head and a read to the tail of the configuration it applied. */
export function onMasterRequest(state: ChainState, request: ClientRequest, context: ChainContext): void {
  const config = appliedConfig(state.master!.raft, state.initial);
  const operation = parseKvOperation(request.operation);
  const write = typeof operation === 'string' || isKvWrite(operation);
  context.reply(request.requestId, { status: 'redirect', leaderHint: (write ? config.chain[0] : tailOf(config)) ?? null });
}
