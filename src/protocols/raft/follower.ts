import type { RaftContext } from './declarations.js';
import type { NodeId } from '../../protocol/effects.js';
import { fail, maybe } from '../../util/assert.js';
import { restoreKvStore } from '../kv/store.js';
import { applyCommitted, commitTo } from './commit.js';
import type { AppendRequest, HeartbeatRequest, Index, LogEntry, SnapshotRequest } from './messages.js';
import { becomeFollower } from './roles.js';
import { noteLogChange, type RaftState } from './state.js';
import { deleteEntries, persistEntry, persistSnapshot } from './storage.js';
import { armElectionTimer } from './timers.js';

type Context = RaftContext;

/** Any message from the leader of our term: follow it and restart the election clock. */
function acknowledgeLeader(state: RaftState, context: Context, leader: NodeId): void {
  if (state.role === 'leader') fail(`leader ${state.id} hears from leader ${leader} in term ${state.currentTerm}`);
  if (state.role !== 'follower') becomeFollower(state, context, state.currentTerm, leader);
  state.leaderId = leader;
  state.lastLeaderContactAt = context.now;
  armElectionTimer(state, context);
}

/**
 * The consistency check and append (Raft §5.3). Entries already present are skipped; the log is
 * truncated only at a real conflict (same index, different term), never because a shorter or
 * reordered append arrived. The response is sent after the new entries are persisted.
 */
export function handleAppend(state: RaftState, context: Context, from: NodeId, request: AppendRequest): void {
  acknowledgeLeader(state, context, from);
  if (request.previousIndex < state.commitIndex) {
    // Everything up to our commit index already matches; tell the leader where we are.
    context.mark('append-below-commit');
    replySuccess(state, context, from, state.commitIndex);
    return;
  }
  if (!state.log.matches(request.previousIndex, request.previousTerm)) {
    context.mark('append-rejected-mismatch');
    replyRejection(state, context, from, request);
    return;
  }
  const lastNewIndex = request.previousIndex + request.entries.length;
  appendNewEntries(state, context, request.entries);
  commitTo(state, context, Math.min(request.commitIndex, lastNewIndex));
  replySuccess(state, context, from, lastNewIndex);
}

function appendNewEntries(state: RaftState, context: Context, entries: LogEntry[]): void {
  const log = state.log;
  let position = 0;
  while (position < entries.length) {
    const entry = entries[position] as LogEntry;
    const term = log.term(entry.index);
    if (term === undefined) break;
    if (term !== entry.term) {
      if (entry.index <= state.commitIndex) fail(`conflict at committed index ${entry.index}`);
      deleteEntries(state, context, entry.index, log.lastIndex);
      log.truncateFrom(entry.index);
      context.mark('entry-truncated-on-conflict');
      break;
    }
    position++;
  }
  if (position < entries.length) noteLogChange(state, (entries[position] as LogEntry).index);
  for (; position < entries.length; position++) {
    const entry = entries[position] as LogEntry;
    log.append(entry);
    persistEntry(state, context, entry);
  }
}

function replySuccess(state: RaftState, context: Context, leader: NodeId, matchIndex: Index): void {
  context.send(leader, {
    type: 'append-response',
    term: state.currentTerm,
    success: true,
    matchIndex,
    rejectedIndex: 0,
    hintIndex: 0,
    hintTerm: 0,
  });
}

/** The hint: our last index whose term is at most the leader's previousTerm (etcd's scheme). */
function replyRejection(state: RaftState, context: Context, leader: NodeId, request: AppendRequest): void {
  const hintIndex = state.log.lastIndexAtOrBelowTerm(Math.min(request.previousIndex, state.log.lastIndex), request.previousTerm);
  const hintTerm = state.log.term(hintIndex);
  if (hintTerm === undefined) fail(`hint index ${hintIndex} has no term`);
  context.send(leader, {
    type: 'append-response',
    term: state.currentTerm,
    success: false,
    matchIndex: 0,
    rejectedIndex: request.previousIndex,
    hintIndex,
    hintTerm,
  });
}

export function handleHeartbeat(state: RaftState, context: Context, from: NodeId, request: HeartbeatRequest): void {
  acknowledgeLeader(state, context, from);
  // The leader sends min(our match, its commit); our log can only be shorter after corruption.
  commitTo(state, context, Math.min(request.commitIndex, state.log.lastIndex));
  context.send(from, { type: 'heartbeat-response', term: state.currentTerm, round: request.round });
  if (request.commitIndex > state.log.lastIndex) reportLostEntries(state, context, from, request.commitIndex);
}

/**
 * The leader believes we hold entries we discarded (a corrupt disk, see `Health`). Reject as if
 * an append at that index had failed, so the leader lowers our match and sends them again.
 */
function reportLostEntries(state: RaftState, context: Context, leader: NodeId, believedIndex: Index): void {
  maybe(state.health.kind === 'recovering');
  context.send(leader, {
    type: 'append-response',
    term: state.currentTerm,
    success: false,
    matchIndex: 0,
    rejectedIndex: believedIndex,
    hintIndex: state.log.lastIndex,
    hintTerm: state.log.lastTerm,
  });
}

/** InstallSnapshot (Raft §7): keep the log if it already holds the snapshot's last entry. */
export function handleSnapshot(state: RaftState, context: Context, from: NodeId, request: SnapshotRequest): void {
  acknowledgeLeader(state, context, from);
  const snapshot = request.snapshot;
  if (snapshot.index > state.commitIndex) {
    if (state.log.matches(snapshot.index, snapshot.term) && snapshot.index <= state.log.lastIndex) {
      context.mark('snapshot-within-log');
      commitTo(state, context, snapshot.index);
    } else {
      installSnapshot(state, context, request);
    }
  }
  context.send(from, { type: 'snapshot-response', term: state.currentTerm, matchIndex: state.commitIndex });
}

function installSnapshot(state: RaftState, context: Context, request: SnapshotRequest): void {
  const snapshot = request.snapshot;
  const kv = restoreKvStore(snapshot.data);
  if (kv === undefined) fail(`leader sent a malformed snapshot at ${snapshot.index}`);
  persistSnapshot(state, context, snapshot, state.snapshot);
  deleteEntries(state, context, state.log.snapshotIndex + 1, state.log.lastIndex);
  state.log.resetTo(snapshot.index, snapshot.term);
  noteLogChange(state, 0);
  state.snapshot = snapshot;
  state.kv = kv;
  state.commitIndex = snapshot.index;
  state.lastApplied = snapshot.index;
  state.step.installedSnapshot = snapshot;
  context.mark('snapshot-installed');
  // Finishes a recovery if the snapshot reaches the bound; nothing is left to apply.
  applyCommitted(state, context);
}
