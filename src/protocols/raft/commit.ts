import type { RaftContext } from './declarations.js';
import type { NodeId } from '../../protocol/effects.js';
import type { ClientResponse } from '../../protocol/client-types.js';
import { fail } from '../../util/assert.js';
import { applyKvCommand, snapshotKvStore } from '../kv/store.js';
import type { Index, LogEntry, Snapshot } from './messages.js';
import { maybeServeEarlyReads } from './reads.js';
import { progressOf, quorumValue, type RaftState } from './state.js';
import { deleteEntries, persistRecoveryBound, persistSnapshot } from './storage.js';

type Context = RaftContext;

/**
 * Advances the leader's commit index to the highest index stored on a quorum, but only if that
 * entry is of the current term (Raft §5.4.2, Figure 8): an entry of an earlier term can be on a
 * majority and still be overwritten by a later leader. Earlier entries commit with it, indirectly.
 */
export function maybeCommit(state: RaftState, context: Context): boolean {
  if (state.role !== 'leader') fail(`${state.role} ${state.id} computes a commit`);
  const candidate = quorumMatchIndex(state);
  if (candidate <= state.commitIndex) return false;
  const term = state.log.term(candidate);
  if (term === undefined) fail(`quorum index ${candidate} is not in the leader's log`);
  if (term !== state.currentTerm && !state.options.unsafeCommitPreviousTermEntries) {
    context.mark('commit-waits-for-current-term');
    return false;
  }
  const wasCommittedInTerm = state.log.term(state.commitIndex) === state.currentTerm;
  state.commitIndex = candidate;
  applyCommitted(state, context);
  if (!wasCommittedInTerm) maybeServeEarlyReads(state, context);
  return true;
}

/** The index that a quorum (the leader included) is known to store. */
function quorumMatchIndex(state: RaftState): Index {
  const matches = state.quorumScratch;
  const peers = state.peers;
  matches[0] = state.log.lastIndex;
  for (let i = 0; i < peers.length; i++) matches[i + 1] = progressOf(state, peers[i] as NodeId).matchIndex;
  return quorumValue(matches, peers.length + 1, state.quorum);
}

/** A follower learns a commit index; it never exceeds what the follower knows matches the leader. */
export function commitTo(state: RaftState, context: Context, index: Index): void {
  if (index > state.log.lastIndex) fail(`commit ${index} beyond the log end ${state.log.lastIndex}`);
  if (index <= state.commitIndex) return;
  state.commitIndex = index;
  applyCommitted(state, context);
}

/** Applies committed entries in order; the leader answers the request waiting on each. */
export function applyCommitted(state: RaftState, context: Context): void {
  while (state.lastApplied < state.commitIndex) {
    const entry = state.log.entry(state.lastApplied + 1);
    applyEntry(state, context, entry);
  }
  maybeFinishRecovery(state, context);
  maybeSnapshot(state, context);
}

function applyEntry(state: RaftState, context: Context, entry: LogEntry): void {
  state.lastApplied = entry.index;
  state.step.applied.push(entry);
  if (entry.command.kind === 'noop') return;
  // The command is a KvCommand as it stands (entries are never mutated): no copy per entry.
  const response = applyKvCommand(state.kv, entry.command);
  answerForwardedWrite(state, context, entry.command.clientId, entry.command.sequence, response);
  const requestId = state.pendingWrites.get(entry.index);
  if (requestId === undefined) return;
  if (state.role !== 'leader') fail(`${state.role} ${state.id} has pending writes`);
  state.pendingWrites.delete(entry.index);
  context.reply(requestId, response);
}

/** `followerReads`: the node that forwarded this write answers it now that it applied it too. */
function answerForwardedWrite(state: RaftState, context: Context, clientId: number, sequence: number, response: ClientResponse): void {
  const forwarded = state.forwardedWrites.get(clientId);
  if (forwarded === undefined || forwarded.sequence !== sequence) return;
  state.forwardedWrites.delete(clientId);
  context.mark('forwarded-write-answered');
  context.reply(forwarded.requestId, response);
}

/** A recovering node may vote again once it holds every entry it could have acknowledged. */
function maybeFinishRecovery(state: RaftState, context: Context): void {
  if (state.health.kind !== 'recovering' || state.commitIndex < state.health.untilIndex) return;
  state.health = { kind: 'healthy' };
  context.mark('recovery-finished');
  persistRecoveryBound(state, context, undefined);
}

/** Compacts the log once `snapshotThreshold` applied entries sit after the last snapshot. */
function maybeSnapshot(state: RaftState, context: Context): void {
  const compactable = state.lastApplied - state.log.snapshotIndex;
  if (compactable < state.options.snapshotThreshold) return;
  const index = state.lastApplied;
  const term = state.log.term(index);
  if (term === undefined) fail(`applied index ${index} has no term`);
  const snapshot: Snapshot = { index, term, data: snapshotKvStore(state.kv) };
  const previousOffset = state.log.snapshotIndex;
  persistSnapshot(state, context, snapshot, state.snapshot);
  deleteEntries(state, context, previousOffset + 1, index);
  state.log.compactTo(index, term);
  state.snapshot = snapshot;
  context.mark('snapshot-taken');
}
