import type { Declarations, NodeContext } from '../../protocol/protocol.js';
import type { RaftMessage } from './messages.js';

/** Every message type Raft sends, for scenarios (`after: { send: … }`) and `faultline list`. */
export const RAFT_MESSAGES: Declarations<RaftMessage['type']> = {
  vote: 'RequestVote: a candidate asks for a vote in its term',
  'vote-response': 'a vote granted or refused',
  'pre-vote': 'a would-be candidate asks whether it could win, without raising its term',
  'pre-vote-response': 'a pre-vote granted or refused',
  append: 'AppendEntries: log entries (maybe none) and the commit index',
  'append-response': 'a follower acknowledges (match index) or rejects with a hint',
  heartbeat: "a leader's heartbeat (commit index, ReadIndex round)",
  'heartbeat-response': 'a heartbeat acknowledged (confirms leadership for reads)',
  snapshot: 'InstallSnapshot: the state machine up to an index',
  'snapshot-response': 'a snapshot installed (match index)',
};

export type RaftTimer = 'election' | 'heartbeat' | 'check-quorum';

export const RAFT_TIMERS: Declarations<RaftTimer> = {
  election: 'followers and candidates: start a campaign when it fires',
  heartbeat: 'leaders: send a heartbeat round',
  'check-quorum': 'leaders (checkQuorum): step down unless a quorum was heard from',
};

/** Coverage marks: points a sweep should reach to have tested what matters for safety. */
export type RaftMark = 'snapshot-taken' | 'snapshot-installed';

export const RAFT_MARKS: Declarations<RaftMark> = {
  'snapshot-taken': 'a node compacted its log into a snapshot',
  'snapshot-installed': "a follower replaced its state with a leader's snapshot",
};

/** The context every Raft handler gets. */
export type RaftContext = NodeContext<RaftMessage, RaftTimer, RaftMark>;
