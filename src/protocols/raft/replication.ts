import type { RaftContext } from './declarations.js';
import type { NodeId } from '../../protocol/effects.js';
import { assert, fail } from '../../util/assert.js';
import { maybeCommit } from './commit.js';
import type { AppendResponse, LogEntry, SnapshotResponse } from './messages.js';
import {
  becomeProbe,
  becomeReplicate,
  becomeSnapshot,
  isPaused,
  maybeDecrease,
  maybeUpdate,
  recordSent,
  type Progress,
} from './progress.js';
import { noteLogChange, progressOf, type RaftState } from './state.js';
import { persistEntry } from './storage.js';

type Context = RaftContext;

/** Shared by every empty append (most of them: commit-only appends); frozen, as messages are never mutated. */
const NO_ENTRIES: LogEntry[] = Object.freeze([]) as unknown as LogEntry[];

/** Appends a new entry to the leader's own log, durable before any append that carries it. */
export function appendAsLeader(state: RaftState, context: Context, entry: LogEntry): void {
  if (state.role !== 'leader') fail(`${state.role} ${state.id} appends as leader`);
  if (entry.term !== state.currentTerm) fail(`leader of ${state.currentTerm} appends an entry of ${entry.term}`);
  state.log.append(entry);
  noteLogChange(state, entry.index);
  persistEntry(state, context, entry);
}

/** Sends what each follower is missing; with `sendIfEmpty`, an empty append too (carries commit). */
export function broadcastAppend(state: RaftState, context: Context, sendIfEmpty: boolean): void {
  for (const peer of state.peers) maybeSendAppend(state, context, peer, sendIfEmpty);
}

/**
 * Sends the next append (or the snapshot, if the entries are compacted away) to `peer`, unless
 * its progress is paused. Returns whether anything was sent.
 */
export function maybeSendAppend(state: RaftState, context: Context, peer: NodeId, sendIfEmpty: boolean): boolean {
  const progress = progressOf(state, peer);
  if (isPaused(progress, state.options.maxInflightMessages)) return false;
  const previousIndex = progress.nextIndex - 1;
  const previousTerm = state.log.term(previousIndex);
  if (previousTerm === undefined) return sendSnapshot(state, context, peer, progress);
  const entries =
    progress.nextIndex <= state.log.lastIndex ? state.log.slice(progress.nextIndex, state.options.maxEntriesPerMessage) : NO_ENTRIES;
  if (entries.length === 0 && !sendIfEmpty) return false;
  context.send(peer, {
    type: 'append',
    term: state.currentTerm,
    previousIndex,
    previousTerm,
    entries,
    commitIndex: state.commitIndex,
  });
  recordSent(progress, previousIndex + entries.length, entries.length);
  return true;
}

function sendSnapshot(state: RaftState, context: Context, peer: NodeId, progress: Progress): boolean {
  const snapshot = state.snapshot;
  if (snapshot === null) fail(`leader ${state.id} lacks entry ${progress.nextIndex - 1} but has no snapshot`);
  assert(snapshot.index === state.log.snapshotIndex, 'snapshot and log offset disagree');
  context.mark('snapshot-sent');
  context.send(peer, { type: 'snapshot', term: state.currentTerm, snapshot });
  becomeSnapshot(progress, snapshot.index);
  return true;
}

export function handleAppendResponse(state: RaftState, context: Context, from: NodeId, response: AppendResponse): void {
  if (response.term !== state.currentTerm) fail(`append response of term ${response.term} at ${state.currentTerm}`);
  const progress = progressOf(state, from);
  progress.recentlyActive = true;
  if (!response.success) {
    handleRejection(state, context, from, progress, response);
    return;
  }
  if (maybeUpdate(progress, response.matchIndex)) {
    if (progress.mode === 'probe') becomeReplicate(progress);
    if (maybeCommit(state, context)) broadcastAppend(state, context, true);
  }
  while (maybeSendAppend(state, context, from, false));
}

/** Fast back-off: jump to the leader's last index whose term is at most the follower's hint. */
function handleRejection(state: RaftState, context: Context, from: NodeId, progress: Progress, response: AppendResponse): void {
  const probeIndex =
    response.hintTerm > 0 ? state.log.lastIndexAtOrBelowTerm(response.hintIndex, response.hintTerm) : response.hintIndex;
  if (!maybeDecrease(progress, response.rejectedIndex, probeIndex)) return;
  if (progress.mode === 'replicate') becomeProbe(progress);
  maybeSendAppend(state, context, from, true);
}

export function handleSnapshotResponse(state: RaftState, context: Context, from: NodeId, response: SnapshotResponse): void {
  if (response.term !== state.currentTerm) fail(`snapshot response of term ${response.term} at ${state.currentTerm}`);
  const progress = progressOf(state, from);
  progress.recentlyActive = true;
  maybeUpdate(progress, response.matchIndex);
  if (progress.mode === 'snapshot' && progress.matchIndex >= progress.snapshotIndex) becomeProbe(progress);
  if (maybeCommit(state, context)) broadcastAppend(state, context, true);
  while (maybeSendAppend(state, context, from, false));
}

/** A snapshot left unacknowledged for this many heartbeat responses is sent again (it was lost). */
const HEARTBEATS_BEFORE_SNAPSHOT_RESEND = 3;

/** After a heartbeat response: resend a lost snapshot, or nudge a follower that is behind. */
export function maybeResumeAfterHeartbeat(state: RaftState, context: Context, from: NodeId, progress: Progress): void {
  if (progress.mode === 'snapshot') {
    progress.heartbeatsSinceSnapshot += 1;
    if (progress.heartbeatsSinceSnapshot < HEARTBEATS_BEFORE_SNAPSHOT_RESEND) return;
    const snapshot = state.snapshot;
    assert(snapshot !== null, 'snapshot mode without a snapshot');
    context.mark('snapshot-resent');
    context.send(from, { type: 'snapshot', term: state.currentTerm, snapshot });
    progress.snapshotIndex = snapshot.index;
    progress.heartbeatsSinceSnapshot = 0;
    return;
  }
  if (progress.matchIndex < state.log.lastIndex) maybeSendAppend(state, context, from, true);
}
