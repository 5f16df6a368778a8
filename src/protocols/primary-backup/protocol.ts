import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader, NodeContext, Protocol } from '../../protocol/protocol.js';
import { unreachable, fail } from '../../util/assert.js';
import { applyKvCommand, createKvStore, parseKvOperation } from '../kv/index.js';
import { primaryBackupObservers } from './invariants.js';
import { renderPbMessage, type Entry, type PbMessage } from './messages.js';
import { PB_OPTIONS, type PbOptions } from './options.js';
import { PB_MARKS, PB_MESSAGES, PB_TIMERS, type PbContext, type PbMark, type PbTimer } from './declarations.js';
import { millis } from '../../sim/time.js';
import { isPrimary, majority, primaryOf, type PbState } from './state.js';
import { persistLog, readDisk } from './storage.js';

type Context = PbContext;

const HEARTBEAT = 'heartbeat' satisfies PbTimer;
const PRIMARY_TIMEOUT = 'primary-timeout' satisfies PbTimer;

/**
 * View-stamped primary-backup replication (after Viewstamped Replication): the primary of view v
 * is node v mod n; it orders client commands in its log, replicates them, and answers once a
 * majority holds them. Backups that stop hearing heartbeats move to the next view; the new
 * primary adopts the most recent log of a majority (largest last-normal view, then longest).
 */
export const primaryBackupProtocol: Protocol<PbState, PbMessage, PbOptions, PbTimer, PbMark> = {
  name: 'primary-backup',
  description: 'view-stamped primary-backup replication with heartbeats and failover (VR-style)',
  deduplicatesRetries: true,
  options: PB_OPTIONS,
  messages: PB_MESSAGES,
  timers: PB_TIMERS,
  marks: PB_MARKS,
  init,
  onMessage,
  onTimer,
  onClientRequest,
  isLeader: isPrimary,
  summarizeState: (state) => ({
    role: state.status === 'normal' ? (isPrimary(state) ? 'primary' : 'backup') : state.status,
    epoch: state.view,
    leader: state.status === 'normal' ? primaryOf(state.view, state.nodeCount) : null,
    commit: state.commit,
    detail: `log ${state.log.length}`,
  }),
  replicaData: (state) => state.store.data,
  renderMessage: renderPbMessage,
  observers: () => primaryBackupObservers(),
};

function init(context: Context, disk: DurableReader, options: PbOptions): PbState {
  const image = readDisk(disk);
  const nodeCount = context.nodes.length;
  const state: PbState = {
    options,
    id: context.id,
    nodeCount,
    view: image === 'corrupt' ? 0 : image.view,
    lastNormalView: image === 'corrupt' ? 0 : image.lastNormalView,
    log: image === 'corrupt' ? [] : image.log,
    status: image === 'corrupt' ? 'failed' : image.lastNormalView === image.view ? 'normal' : 'view-change',
    commit: 0,
    applied: 0,
    store: createKvStore(),
    matched: new Array<number>(nodeCount).fill(0),
    waiting: new Map(),
    viewChangeVotes: new Map(),
  };
  if (state.status === 'failed') context.mark('restart-found-corrupt-disk');
  if (state.status === 'view-change') context.mark('restart-in-view-change');
  if (state.status === 'failed') return state;
  // A restarted node cannot know whether its view still stands: it rejoins as a backup of that
  // view and learns the truth from heartbeats, or starts a view change when none come.
  if (primaryOf(state.view, nodeCount) === state.id && state.status === 'normal') becomePrimary(state, context);
  else armPrimaryTimeout(state, context);
  return state;
}

function onMessage(state: PbState, from: NodeId, message: PbMessage, context: Context): void {
  if (state.status === 'failed') return;
  switch (message.type) {
    case 'Prepare':
      return onPrepare(state, from, message, context);
    case 'PrepareOk':
      return onPrepareOk(state, from, message, context);
    case 'Commit':
      return onCommit(state, from, message, context);
    case 'StartViewChange':
      if (message.view > state.view) startViewChange(state, message.view, context);
      return;
    case 'DoViewChange':
      return onDoViewChange(state, from, message, context);
    case 'StartView':
      return onStartView(state, message, context);
    case 'GetView':
      if (isPrimary(state) && message.view <= state.view) {
        // A copy: what is sent is frozen (src/protocol/hand-over.ts), and our log keeps growing.
        context.send(from, { type: 'StartView', view: state.view, log: state.log.slice(), commit: state.commit });
      }
      return;
    default:
      unreachable(message, 'primary-backup message');
  }
}

function onTimer(state: PbState, name: PbTimer, context: Context): void {
  if (state.status === 'failed') return;
  if (name === HEARTBEAT) {
    if (!isPrimary(state)) return;
    for (const node of context.nodes) if (node !== state.id) sendPrepare(state, node, context);
    context.setTimer(HEARTBEAT, millis(state.options.heartbeatMs));
    return;
  }
  if (isPrimary(state)) return;
  startViewChange(state, state.view + 1, context);
}

function onClientRequest(state: PbState, request: ClientRequest, context: Context): void {
  if (!isPrimary(state)) {
    const hint = state.status === 'normal' ? primaryOf(state.view, state.nodeCount) : null;
    context.reply(request.requestId, { status: 'redirect', leaderHint: hint });
    return;
  }
  const operation = parseKvOperation(request.operation);
  if (typeof operation === 'string') {
    context.reply(request.requestId, { status: 'fail', error: operation });
    return;
  }
  const session = state.store.sessions.get(request.clientId);
  if (session !== undefined && session.sequence === request.sequence) {
    context.mark('retry-answered-from-session');
    context.reply(request.requestId, session.response);
    return;
  }
  if (waitingCount(state) >= state.options.maxPendingRequests) {
    // A bound on everything: an overloaded primary refuses (nothing was appended) rather than
    // queueing without limit.
    context.reply(request.requestId, { status: 'fail', error: 'primary overloaded' });
    return;
  }
  const position = state.log.length;
  state.log.push({ view: state.view, command: { clientId: request.clientId, sequence: request.sequence, operation } });
  persistLog(context as NodeContext, state.log, position, position);
  const waiting = state.waiting.get(position) ?? [];
  waiting.push(request.requestId);
  state.waiting.set(position, waiting);
  state.matched[state.id] = state.log.length;
  for (const node of context.nodes) if (node !== state.id) sendPrepare(state, node, context);
  if (state.options.unsafeAsyncReplication) advanceCommit(state, state.log.length, context);
  else maybeCommit(state, context);
}

// --- normal operation ------------------------------------------------------------------------

function sendPrepare(state: PbState, node: NodeId, context: Context): void {
  const start = Math.min(state.matched[node] as number, state.log.length);
  if (start === state.log.length) {
    context.send(node, { type: 'Commit', view: state.view, commit: state.commit, length: state.log.length });
    return;
  }
  const entries = state.log.slice(start, start + state.options.maxEntriesPerPrepare);
  context.send(node, { type: 'Prepare', view: state.view, start, entries, commit: state.commit });
}

function onPrepare(state: PbState, from: NodeId, message: Extract<PbMessage, { type: 'Prepare' }>, context: Context): void {
  if (!acceptFromPrimary(state, from, message.view, context)) return;
  if (message.start > state.log.length) {
    // A gap: tell the primary how far we match so it resends from there.
    context.mark('prepare-gap');
    context.send(from, { type: 'PrepareOk', view: state.view, length: state.log.length });
    return;
  }
  // Within a view the primary's log only grows, so whatever we hold below `start` matches it.
  const previousLength = state.log.length;
  let changedFrom = -1;
  message.entries.forEach((entry, offset) => {
    const position = message.start + offset;
    if (position < state.log.length && sameEntry(state.log[position] as Entry, entry)) return;
    if (position < state.log.length) context.mark('uncommitted-entries-replaced');
    if (changedFrom < 0) changedFrom = position;
    state.log[position] = entry;
  });
  if (changedFrom >= 0) persistLog(context as NodeContext, state.log, changedFrom, previousLength);
  context.send(from, { type: 'PrepareOk', view: state.view, length: message.start + message.entries.length });
  learnCommit(state, message.commit, message.start + message.entries.length, context);
}

function onCommit(state: PbState, from: NodeId, message: Extract<PbMessage, { type: 'Commit' }>, context: Context): void {
  if (!acceptFromPrimary(state, from, message.view, context)) return;
  if (state.log.length < message.length) context.send(from, { type: 'PrepareOk', view: state.view, length: state.log.length });
  learnCommit(state, message.commit, Math.min(state.log.length, message.length), context);
}

/**
 * Decides whether a message from `from` in `view` is from our current primary. A newer view we
 * never saw start means our log may be stale: ask its primary for the view's log first.
 */
function acceptFromPrimary(state: PbState, from: NodeId, view: number, context: Context): boolean {
  if (view < state.view) {
    context.mark('stale-view-ignored');
    return false;
  }
  if (view > state.view || state.status !== 'normal') {
    if (view >= state.view) context.send(from, { type: 'GetView', view });
    return false;
  }
  if (from !== primaryOf(view, state.nodeCount)) fail(`n${from} acts as primary of view ${view}`);
  armPrimaryTimeout(state, context);
  return true;
}

function onPrepareOk(state: PbState, from: NodeId, message: Extract<PbMessage, { type: 'PrepareOk' }>, context: Context): void {
  if (!isPrimary(state) || message.view !== state.view) return;
  const length = Math.min(message.length, state.log.length);
  // A duplicate says nothing new: answering it would start a second resend chain, and with
  // duplication on the network such chains multiply. A shorter length than we thought (a late
  // acknowledgement, or a backup that lost unsynced writes in a crash) resends from there.
  if (length === state.matched[from]) return;
  state.matched[from] = length;
  if (length < state.log.length) sendPrepare(state, from, context);
  maybeCommit(state, context);
}

function maybeCommit(state: PbState, context: Context): void {
  // The largest length that a majority of nodes has reached.
  const needed = majority(state.nodeCount);
  let replicated = state.commit;
  for (const candidate of state.matched) {
    if (candidate <= replicated) continue;
    let count = 0;
    for (const length of state.matched) if (length >= candidate) count++;
    if (count >= needed) replicated = candidate;
  }
  if (replicated > state.commit) advanceCommit(state, replicated, context);
}

/** A backup may commit only what it holds and what the primary's log (which it matches) commits. */
function learnCommit(state: PbState, commit: number, matchedLength: number, context: Context): void {
  const target = Math.min(commit, matchedLength);
  if (target > state.commit) advanceCommit(state, target, context);
}

function advanceCommit(state: PbState, commit: number, context: Context): void {
  if (commit > state.log.length) fail(`commit ${commit} beyond log length ${state.log.length}`);
  state.commit = commit;
  while (state.applied < state.commit) {
    const position = state.applied;
    const response = applyKvCommand(state.store, (state.log[position] as Entry).command);
    state.applied++;
    const waiting = state.waiting.get(position);
    if (waiting === undefined) continue;
    state.waiting.delete(position);
    for (const requestId of waiting) context.reply(requestId, response);
  }
}

/** Client requests waiting for their entry to commit. */
function waitingCount(state: PbState): number {
  let count = 0;
  for (const requests of state.waiting.values()) count += requests.length;
  return count;
}

function sameEntry(a: Entry, b: Entry): boolean {
  return a.view === b.view && a.command.clientId === b.command.clientId && a.command.sequence === b.command.sequence;
}

// --- view change -----------------------------------------------------------------------------

function startViewChange(state: PbState, view: number, context: Context): void {
  if (view <= state.view) fail(`view change to ${view} from ${state.view}`);
  abandonWaiting(state, context);
  state.view = view;
  state.status = 'view-change';
  state.viewChangeVotes = new Map();
  context.mark('view-change-started');
  // The promise "nothing from older views" must survive a crash before anyone relies on it.
  context.persist('view', view);
  for (const node of context.nodes) if (node !== state.id) context.send(node, { type: 'StartViewChange', view });
  const newPrimary = primaryOf(view, state.nodeCount);
  const vote = { type: 'DoViewChange' as const, view, lastNormalView: state.lastNormalView, log: state.log.slice(), commit: state.commit };
  if (newPrimary === state.id) onDoViewChange(state, state.id, vote, context);
  else context.send(newPrimary, vote);
  armPrimaryTimeout(state, context);
}

function onDoViewChange(state: PbState, from: NodeId, message: Extract<PbMessage, { type: 'DoViewChange' }>, context: Context): void {
  if (message.view > state.view) startViewChange(state, message.view, context);
  if (message.view !== state.view || state.status !== 'view-change' || primaryOf(state.view, state.nodeCount) !== state.id) return;
  state.viewChangeVotes.set(from, { lastNormalView: message.lastNormalView, log: message.log, commit: message.commit });
  if (state.viewChangeVotes.size < majority(state.nodeCount) || !state.viewChangeVotes.has(state.id)) return;
  let best = state.viewChangeVotes.get(state.id)!;
  let commit = 0;
  for (const vote of state.viewChangeVotes.values()) {
    commit = Math.max(commit, vote.commit);
    if (vote.lastNormalView > best.lastNormalView || (vote.lastNormalView === best.lastNormalView && vote.log.length > best.log.length)) best = vote;
  }
  if (best !== state.viewChangeVotes.get(state.id)) context.mark('view-started-with-other-log');
  installLog(state, best.log, context);
  becomePrimary(state, context);
  context.mark('view-started');
  learnCommit(state, commit, state.log.length, context);
  // One copy for every backup: what is sent is frozen, and the primary's log keeps growing.
  const log = state.log.slice();
  for (const node of context.nodes) if (node !== state.id) context.send(node, { type: 'StartView', view: state.view, log, commit: state.commit });
}

function onStartView(state: PbState, message: Extract<PbMessage, { type: 'StartView' }>, context: Context): void {
  if (message.view < state.view || (message.view === state.view && state.status === 'normal')) return;
  abandonWaiting(state, context);
  if (message.view > state.view) context.persist('view', message.view);
  state.view = message.view;
  installLog(state, message.log, context);
  state.status = 'normal';
  state.lastNormalView = state.view;
  context.persist('last-normal-view', state.view);
  const primary = primaryOf(state.view, state.nodeCount);
  context.send(primary, { type: 'PrepareOk', view: state.view, length: state.log.length });
  learnCommit(state, message.commit, state.log.length, context);
  armPrimaryTimeout(state, context);
}

function becomePrimary(state: PbState, context: Context): void {
  state.status = 'normal';
  if (state.lastNormalView !== state.view) {
    state.lastNormalView = state.view;
    context.persist('last-normal-view', state.view);
  }
  state.matched = new Array<number>(state.nodeCount).fill(0);
  state.matched[state.id] = state.log.length;
  context.cancelTimer(PRIMARY_TIMEOUT);
  context.setTimer(HEARTBEAT, 0);
}

/** Replaces the log with `log`, persisting only what differs. */
function installLog(state: PbState, log: Entry[], context: Context): void {
  const previous = state.log;
  let firstDifference = 0;
  while (firstDifference < log.length && firstDifference < previous.length && sameEntry(previous[firstDifference] as Entry, log[firstDifference] as Entry)) {
    firstDifference++;
  }
  if (firstDifference < state.commit) {
    // Committed entries are never replaced: a new view's log extends the committed prefix. Only
    // the planted bug breaks that; then the node rebuilds its state machine from the new log.
    if (!state.options.unsafeAsyncReplication) fail(`n${state.id} would replace committed entry ${firstDifference} (commit ${state.commit})`);
    state.store = createKvStore();
    state.commit = 0;
    state.applied = 0;
  }
  if (firstDifference < previous.length) context.mark('uncommitted-entries-replaced');
  state.log = log.slice();
  persistLog(context as NodeContext, state.log, firstDifference, previous.length);
}

/** Requests waiting on a primary that is stepping down get `unknown`: their entry may yet commit. */
function abandonWaiting(state: PbState, context: Context): void {
  if (state.waiting.size > 0) context.mark('writes-unknown-on-view-change');
  for (const requestIds of state.waiting.values()) {
    for (const requestId of requestIds) context.reply(requestId, { status: 'unknown', error: 'primary stepped down' });
  }
  state.waiting.clear();
}

function armPrimaryTimeout(state: PbState, context: Context): void {
  const base = millis(state.options.primaryTimeoutMs);
  context.setTimer(PRIMARY_TIMEOUT, context.random.range(base, base + base / 2));
}
