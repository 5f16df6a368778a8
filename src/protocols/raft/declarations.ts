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
  forward: "followerReads: a follower hands a client's write to the leader",
};

export type RaftTimer = 'election' | 'heartbeat' | 'check-quorum';

export const RAFT_TIMERS: Declarations<RaftTimer> = {
  election: 'followers and candidates: start a campaign when it fires',
  heartbeat: 'leaders: send a heartbeat round',
  'check-quorum': 'leaders (checkQuorum): step down unless a quorum was heard from',
};

/**
 * Coverage marks: the branches that matter for safety, each a point a sweep should reach before
 * its passing seeds say anything about that branch (README, Raft section, lists which shipped
 * scenarios reach which).
 */
export type RaftMark =
  | 'snapshot-taken'
  | 'snapshot-sent'
  | 'snapshot-resent'
  | 'snapshot-installed'
  | 'snapshot-within-log'
  | 'vote-granted'
  | 'vote-granted-after-restart'
  | 'vote-refused-log-behind'
  | 'vote-ignored-leader-lease'
  | 'stale-term-answered'
  | 'append-rejected-mismatch'
  | 'append-below-commit'
  | 'entry-truncated-on-conflict'
  | 'commit-waits-for-current-term'
  | 'read-waits-for-term-commit'
  | 'read-served-by-read-index'
  | 'read-served-by-lease'
  | 'reads-redirected-on-step-down'
  | 'writes-unknown-on-step-down'
  | 'leader-stepped-down-no-quorum'
  | 'retry-answered-from-session'
  | 'restart-found-corrupt-disk'
  | 'recovery-finished'
  | 'read-served-locally'
  | 'read-refused-until-caught-up'
  | 'write-forwarded'
  | 'forwarded-write-answered';

export const RAFT_MARKS: Declarations<RaftMark> = {
  'snapshot-taken': 'a node compacted its log into a snapshot',
  'snapshot-sent': 'a leader sent InstallSnapshot: the entries a follower needs are compacted away',
  'snapshot-resent': 'a leader sent a snapshot again after it went unacknowledged (lost)',
  'snapshot-installed': "a follower replaced its state with a leader's snapshot",
  'snapshot-within-log': "a follower already held a snapshot's last entry and kept its log (Raft §7)",
  'vote-granted': 'a node granted its vote in a real election',
  'vote-granted-after-restart': 'a node that restarted from its disk granted a vote (its persisted vote must hold)',
  'vote-refused-log-behind': "a (pre-)vote refused because the candidate's log is behind (election restriction, §5.4.1)",
  'vote-ignored-leader-lease': 'a higher-term (pre-)vote ignored while a live leader is heard (dissertation §4.2.3)',
  'stale-term-answered': 'a message of an older term answered with the current term (a deposed leader learns of it)',
  'append-rejected-mismatch': 'an append refused by the consistency check (previous entry missing or of another term)',
  'append-below-commit': 'an append reached below the commit index (late, duplicated or reordered) and was acknowledged as is',
  'entry-truncated-on-conflict': "a follower deleted uncommitted entries that conflict with the leader's (§5.3)",
  'commit-waits-for-current-term': 'a quorum holds an entry of an earlier term, which the leader does not commit by counting (Figure 8)',
  'read-waits-for-term-commit': "a read waited for the leader's first commit in its term (ReadIndex step 1)",
  'read-served-by-read-index': 'a read answered after a quorum confirmed the leadership round (ReadIndex)',
  'read-served-by-lease': 'a read answered inside the leader lease, with no round',
  'reads-redirected-on-step-down': 'a leader stepping down redirected reads it had not answered',
  'writes-unknown-on-step-down': 'a leader stepping down answered pending writes unknown (they may still commit)',
  'leader-stepped-down-no-quorum': 'check-quorum: a leader that heard from no quorum stepped down',
  'retry-answered-from-session': 'a retried write already applied was answered from its client session, not applied again',
  'restart-found-corrupt-disk': 'a node restarted on a disk with a corrupt or missing record and did not vote until caught up',
  'recovery-finished': 'a recovering node held every entry it could have acknowledged and voted again',
  'read-served-locally': 'followerReads: a node answered a read from its own applied state',
  'read-refused-until-caught-up': 'followerReads: a restarted node refused a read until it applied what it held before the crash',
  'write-forwarded': 'followerReads: a follower forwarded a client write to the leader',
  'forwarded-write-answered': 'followerReads: a follower answered a forwarded write once it applied it',
};

/** The context every Raft handler gets. */
export type RaftContext = NodeContext<RaftMessage, RaftTimer, RaftMark>;
