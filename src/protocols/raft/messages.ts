import type { Json } from '../../history/operation.js';
import type { KvOperation } from '../kv/operation.js';
import type { KvCommand } from '../kv/store.js';

/** A position in the log: 0 is the empty log's origin, whose term is 0. */
export type Index = number;
export type Term = number;

/** What a log entry carries: a client write, or the no-op a leader appends at the start of its term. */
export type Command = { kind: 'noop' } | ({ kind: 'client' } & KvCommand);

/** Entries are immutable once created: logs, messages and disks share them by reference. */
export type LogEntry = {
  index: Index;
  term: Term;
  command: Command;
};

/**
 * Every Raft message. `term` is the sender's current term, except in a pre-vote request (the term
 * the sender would campaign in) and a granted pre-vote response (that same term).
 */
export type RaftMessage =
  | VoteRequest
  | VoteResponse
  | AppendRequest
  | AppendResponse
  | HeartbeatRequest
  | HeartbeatResponse
  | SnapshotRequest
  | SnapshotResponse
  | ForwardedRequest;

/** `followerReads`: a follower hands a client's write to the leader it knows. */
export type ForwardedRequest = {
  type: 'forward';
  term: Term;
  clientId: number;
  sequence: number;
  operation: KvOperation;
};

export type VoteRequest = {
  type: 'vote' | 'pre-vote';
  term: Term;
  lastLogIndex: Index;
  lastLogTerm: Term;
};

export type VoteResponse = {
  type: 'vote-response' | 'pre-vote-response';
  term: Term;
  granted: boolean;
};

export type AppendRequest = {
  type: 'append';
  term: Term;
  previousIndex: Index;
  previousTerm: Term;
  entries: LogEntry[];
  commitIndex: Index;
};

/**
 * Success: the follower's log matches the leader's up to `matchIndex`. Failure: the consistency
 * check failed at `rejectedIndex` (the request's previousIndex); `hintIndex`/`hintTerm` say where
 * the leader should look next (Raft §5.3's optimisation: skip a whole conflicting term at once).
 */
export type AppendResponse = {
  type: 'append-response';
  term: Term;
  success: boolean;
  matchIndex: Index;
  rejectedIndex: Index;
  hintIndex: Index;
  hintTerm: Term;
};

/** Heartbeats carry a commit index the follower is known to hold, and the ReadIndex round. */
export type HeartbeatRequest = {
  type: 'heartbeat';
  term: Term;
  commitIndex: Index;
  round: number;
};

export type HeartbeatResponse = {
  type: 'heartbeat-response';
  term: Term;
  round: number;
};

export type SnapshotRequest = {
  type: 'snapshot';
  term: Term;
  snapshot: Snapshot;
};

export type SnapshotResponse = {
  type: 'snapshot-response';
  term: Term;
  matchIndex: Index;
};

/** A state machine image covering the log up to `index` (whose entry had `term`). */
export type Snapshot = {
  index: Index;
  term: Term;
  data: Json;
};

