import { fail, unreachable } from '../../util/assert.js';
import type { Index } from './messages.js';

/**
 * A leader's view of one follower (etcd's Progress):
 * - `probe`: the leader does not know where the logs match; one append at a time, backing off.
 * - `replicate`: the logs match up to `matchIndex`; appends are streamed optimistically, at most
 *   `maxInflightMessages` unacknowledged.
 * - `snapshot`: the follower needs entries the leader compacted; a snapshot is on its way.
 */
export type ProgressMode = 'probe' | 'replicate' | 'snapshot';

export interface Progress {
  mode: ProgressMode;
  matchIndex: Index;
  nextIndex: Index;
  /** Last index of each unacknowledged append, oldest first (bounded by maxInflightMessages). */
  inflight: Index[];
  /** In probe mode: an append was sent and neither a response nor a heartbeat response came yet. */
  probeSent: boolean;
  /** In snapshot mode: the snapshot's index, and heartbeat responses seen since it was sent. */
  snapshotIndex: Index;
  heartbeatsSinceSnapshot: number;
  /** Heard from since the last check-quorum tick. */
  recentlyActive: boolean;
  /** Highest heartbeat round this follower acknowledged in the current term. */
  acknowledgedRound: number;
}

export function createProgress(nextIndex: Index): Progress {
  if (nextIndex < 1) fail(`next index ${nextIndex}`);
  return {
    mode: 'probe',
    matchIndex: 0,
    nextIndex,
    inflight: [],
    probeSent: false,
    snapshotIndex: 0,
    heartbeatsSinceSnapshot: 0,
    recentlyActive: false,
    acknowledgedRound: 0,
  };
}

/** Whether the leader should hold further appends to this follower for now. */
export function isPaused(progress: Progress, maxInflightMessages: number): boolean {
  switch (progress.mode) {
    case 'probe':
      return progress.probeSent;
    case 'replicate':
      return progress.inflight.length >= maxInflightMessages;
    case 'snapshot':
      return true;
    default:
      return unreachable(progress.mode, 'progress mode');
  }
}

export function becomeProbe(progress: Progress): void {
  // Leaving snapshot mode: the follower holds at least the snapshot it was sent.
  const floor = progress.mode === 'snapshot' ? Math.max(progress.matchIndex, progress.snapshotIndex) : progress.matchIndex;
  progress.mode = 'probe';
  progress.nextIndex = floor + 1;
  if (progress.inflight.length > 0) progress.inflight.length = 0;
  progress.probeSent = false;
  progress.snapshotIndex = 0;
}

export function becomeReplicate(progress: Progress): void {
  progress.mode = 'replicate';
  progress.nextIndex = progress.matchIndex + 1;
  if (progress.inflight.length > 0) progress.inflight.length = 0;
  progress.probeSent = false;
}

export function becomeSnapshot(progress: Progress, snapshotIndex: Index): void {
  if (snapshotIndex <= progress.matchIndex) fail(`snapshot ${snapshotIndex} not past match ${progress.matchIndex}`);
  progress.mode = 'snapshot';
  progress.snapshotIndex = snapshotIndex;
  progress.heartbeatsSinceSnapshot = 0;
  if (progress.inflight.length > 0) progress.inflight.length = 0;
}

/** Records that an append ending at `lastIndex` left (and, when streaming, advances nextIndex). */
export function recordSent(progress: Progress, lastIndex: Index, entryCount: number): void {
  if (progress.mode === 'replicate') {
    if (entryCount > 0) {
      if (lastIndex + 1 <= progress.nextIndex - 1) fail(`replicate send ${lastIndex} behind next ${progress.nextIndex}`);
      progress.nextIndex = lastIndex + 1;
      progress.inflight.push(lastIndex);
    }
    return;
  }
  if (progress.mode !== 'probe') fail(`send in ${progress.mode} mode`);
  progress.probeSent = true;
}

/** An acknowledgement up to `index`; returns false when it is stale (tells nothing new). */
export function maybeUpdate(progress: Progress, index: Index): boolean {
  let updated = false;
  if (index > progress.matchIndex) {
    progress.matchIndex = index;
    progress.probeSent = false;
    updated = true;
  }
  if (progress.nextIndex < index + 1) progress.nextIndex = index + 1;
  freeInflightUpTo(progress, index);
  return updated;
}

/**
 * A rejection of the append whose previous index was `rejectedIndex`; `probeIndex` is where the
 * leader guesses the logs match. Returns false for a stale rejection (one overtaken by events).
 *
 * Unlike etcd, the match index may go down: a follower that discarded corrupt records (see
 * `Health`) no longer holds entries it acknowledged, and rejects an append at its old match.
 * Lowering the match only delays commits, so a stale rejection mistaken for this costs a probe.
 */
export function maybeDecrease(progress: Progress, rejectedIndex: Index, probeIndex: Index): boolean {
  if (progress.mode === 'replicate') {
    // A rejection below the match is stale; above it, an append was lost.
    if (rejectedIndex < progress.matchIndex) return false;
    if (rejectedIndex === progress.matchIndex) lowerMatch(progress, probeIndex);
    progress.nextIndex = progress.matchIndex + 1;
    return true;
  }
  // In probe mode only the rejection of the append just sent counts.
  if (progress.nextIndex - 1 !== rejectedIndex) return false;
  if (rejectedIndex <= progress.matchIndex) lowerMatch(progress, probeIndex);
  progress.nextIndex = Math.max(Math.min(rejectedIndex, probeIndex + 1), progress.matchIndex + 1);
  progress.probeSent = false;
  return true;
}

function lowerMatch(progress: Progress, probeIndex: Index): void {
  if (probeIndex < 0) fail(`probe index ${probeIndex}`);
  if (probeIndex < progress.matchIndex) progress.matchIndex = probeIndex;
}

function freeInflightUpTo(progress: Progress, index: Index): void {
  // shift(), not splice(): splice allocates an array of the removed items, on every acknowledgement.
  const inflight = progress.inflight;
  while (inflight.length > 0 && (inflight[0] as Index) <= index) inflight.shift();
}

/**
 * A heartbeat response proves the follower is alive: if appends are blocked (a probe or a full
 * window whose messages may have been lost), let one more through so replication resumes.
 */
export function freeOneInflight(progress: Progress, maxInflightMessages: number): void {
  if (progress.mode === 'probe') progress.probeSent = false;
  if (progress.mode === 'replicate' && progress.inflight.length >= maxInflightMessages) progress.inflight.shift();
}
