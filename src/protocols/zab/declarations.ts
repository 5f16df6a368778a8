import type { Declarations, NodeContext } from '../../protocol/protocol.js';
import type { ZabMessage } from './messages.js';

/** Every message type Zab sends, for scenarios (`after: { send: … }`) and `faultline list`. */
export const ZAB_MESSAGES: Declarations<ZabMessage['type']> = {
  notification: 'Fast Leader Election: a vote (epoch, last zxid, id) in an election round',
  followerinfo: "discovery: a follower's acceptedEpoch, sent to the leader it elected",
  leaderinfo: 'discovery: the new epoch, above every acceptedEpoch of a quorum',
  ackepoch: 'discovery: the new epoch accepted (persisted), with the follower history summary',
  diff: "synchronization: the leader's txns the follower lacks",
  trunc: 'synchronization: truncate txns the leader never had, then the missing txns',
  snap: "synchronization: the leader's snapshot, then the txns after it",
  newleader: 'synchronization: complete once the follower history ends at this zxid',
  'ack-newleader': 'the synchronized history is durable and currentEpoch persisted',
  uptodate: 'a quorum is synchronized: the follower may serve clients',
  proposal: 'broadcast: a txn with its zxid and the zxid before it',
  ack: 'broadcast: the follower holds the history up to a zxid durably',
  commit: 'broadcast: everything up to a zxid is committed',
  ping: "the leader's heartbeat with its commit zxid",
  forward: 'a client write (or ordered read) forwarded by a follower to its leader',
};

export type ZabTimer = 'election' | 'finalize' | 'tick';

export const ZAB_TIMERS: Declarations<ZabTimer> = {
  election: 'looking: send the current vote again (no news for a while)',
  finalize: 'looking: a quorum agreed; decide unless a better vote arrived meanwhile',
  tick: 'leading/following: heartbeats, retransmission, and the init/sync limits',
};

/** Coverage marks: points of the protocol a sweep should reach. */
export type ZabMark =
  | 'election-decided'
  | 'joined-established-leader'
  | 'epoch-chosen'
  | 'epoch-accepted'
  | 'epoch-already-accepted'
  | 'leaderinfo-stale'
  | 'follower-ahead'
  | 'epoch-bumped'
  | 'sync-diff'
  | 'sync-trunc'
  | 'sync-snap'
  | 'sync-applied'
  | 'sync-retransmitted'
  | 'established'
  | 'proposal-gap'
  | 'retransmit'
  | 'snapshot-taken'
  | 'recovered-from-snapshot'
  | 'recovering-after-corruption'
  | 'quarantined'
  | 'read-local'
  | 'read-ordered'
  | 'leader-lost-quorum'
  | 'follower-lost-leader'
  | 'init-limit'
  | 'counter-rollover';

export const ZAB_MARKS: Declarations<ZabMark> = {
  'election-decided': 'FLE: a quorum agreed on a vote',
  'joined-established-leader': 'FLE: a looking server joined a leader others already follow',
  'epoch-chosen': 'discovery: a leader chose its new epoch from a quorum of acceptedEpochs',
  'epoch-accepted': 'discovery: a follower persisted a new acceptedEpoch',
  'epoch-already-accepted': 'discovery: a follower reconnected in an epoch it had accepted (not counted)',
  'leaderinfo-stale': 'discovery: a follower refused an epoch below its acceptedEpoch',
  'follower-ahead': 'discovery: a follower was more recent than its leader; the leader gave up',
  'epoch-bumped': 'discovery: a quorum acknowledged the epoch; the leader persisted currentEpoch',
  'sync-diff': 'synchronization by DIFF',
  'sync-trunc': 'synchronization by TRUNC (+DIFF): the follower had txns the leader never had',
  'sync-snap': 'synchronization by SNAP: the follower was behind the leader snapshot',
  'sync-applied': 'a follower applied a synchronization message',
  'sync-retransmitted': 'a leader sent a synchronization again (lost or reordered)',
  established: 'a quorum acknowledged NEWLEADER: the leader commits its initial history',
  'proposal-gap': 'a follower received a proposal out of order and asked for the gap',
  retransmit: 'a leader sent proposals again to a follower that made no progress',
  'snapshot-taken': 'a server compacted its log into a snapshot',
  'recovered-from-snapshot': 'a restarted server loaded a snapshot',
  'recovering-after-corruption': 'a restarted server found corrupt history and discarded it',
  quarantined: 'a restarted server found its epochs corrupt and stays out for good',
  'read-local': 'a read served from local state (readMode local)',
  'read-ordered': 'a read ordered through the leader (readMode sync, or a client new to this server)',
  'leader-lost-quorum': 'a leader without a quorum of followers for syncLimit went back to looking',
  'follower-lost-leader': 'a follower without news from its leader for syncLimit went back to looking',
  'init-limit': 'discovery or synchronization took longer than initLimit; back to looking',
  'counter-rollover': "a leader exhausted its epoch's zxid counter and stepped down so that a new epoch begins",
};

/** The context every Zab handler gets. */
export type ZabContext = NodeContext<ZabMessage, ZabTimer, ZabMark>;
