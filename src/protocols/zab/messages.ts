import type { Json } from '../../history/operation.js';
import type { ClientOperation } from '../../protocol/client-types.js';
import type { KvCommand } from '../kv/store.js';
import type { Epoch, Zxid } from './zxid.js';

/** A transaction: a client command (a write, or a read ordered through the leader) at a zxid. */
export type Txn = { zxid: Zxid; command: KvCommand };

/** A state machine image covering the history up to `zxid`. */
export type Snapshot = { zxid: Zxid; data: Json };

/** What a server says about itself in Fast Leader Election. */
export type ServerState = 'looking' | 'following' | 'leading';

/** A vote: the proposed leader and the (epoch, last zxid) it was proposed for. */
export type Vote = { leader: number; zxid: Zxid; peerEpoch: Epoch };

/**
 * Every Zab message. Messages after discovery carry the leader's `epoch`; a message of another
 * epoch than the one a server is in is ignored (a stale leader or follower).
 */
export type ZabMessage =
  | Notification
  | FollowerInfo
  | LeaderInfo
  | AckEpoch
  | Diff
  | Trunc
  | Snap
  | NewLeader
  | AckNewLeader
  | UpToDate
  | Proposal
  | Ack
  | Commit
  | Ping
  | Forward;

/** FLE: the sender's current vote in its election round, and its own state. */
export type Notification = { type: 'notification'; round: number; vote: Vote; state: ServerState };

/** Discovery, follower → leader: the follower's acceptedEpoch. */
export type FollowerInfo = { type: 'followerinfo'; acceptedEpoch: Epoch };

/** Discovery, leader → follower: the new epoch, above every acceptedEpoch of a quorum. */
export type LeaderInfo = { type: 'leaderinfo'; epoch: Epoch };

/**
 * Discovery, follower → leader: the new epoch accepted (persisted), with the follower's history
 * at a glance: its currentEpoch, last zxid, snapshot zxid and the last zxid of each epoch in its
 * log (so the leader can find the exact common prefix). `counted` is false when the follower had
 * already accepted this epoch (a reconnect): such an ack must not count towards the quorum.
 */
export type AckEpoch = {
  type: 'ackepoch';
  epoch: Epoch;
  currentEpoch: Epoch;
  lastZxid: Zxid;
  snapshotZxid: Zxid;
  epochs: [Epoch, Zxid][];
  counted: boolean;
};

/** Synchronization: the leader's txns after `base` (the follower's last zxid); ends at `last`. */
export type Diff = { type: 'diff'; epoch: Epoch; base: Zxid; txns: Txn[]; last: Zxid };
/** Synchronization: drop everything after `truncZxid` (txns the leader never had), then the diff. */
export type Trunc = { type: 'trunc'; epoch: Epoch; base: Zxid; truncZxid: Zxid; txns: Txn[]; last: Zxid };
/** Synchronization: the leader's snapshot replaces the follower's state, then the txns after it. */
export type Snap = { type: 'snap'; epoch: Epoch; base: Zxid; snapshot: Snapshot; txns: Txn[]; last: Zxid };

/** Synchronization is complete once the follower's history ends at `zxid`. */
export type NewLeader = { type: 'newleader'; epoch: Epoch; zxid: Zxid };
/** The follower holds the leader's history durably and has persisted currentEpoch. */
export type AckNewLeader = { type: 'ack-newleader'; epoch: Epoch; zxid: Zxid };
/** A quorum is synchronized: start serving. */
export type UpToDate = { type: 'uptodate'; epoch: Epoch; commitZxid: Zxid };

/** Broadcast: a txn; `prev` is the zxid just before it in the leader's history. */
export type Proposal = { type: 'proposal'; epoch: Epoch; prev: Zxid; txn: Txn };
/** The follower holds every txn of the leader's history up to `zxid`, durably. */
export type Ack = { type: 'ack'; epoch: Epoch; zxid: Zxid };
/** Everything up to `zxid` is committed. */
export type Commit = { type: 'commit'; epoch: Epoch; zxid: Zxid };
/** The leader's heartbeat, with its commit point. */
export type Ping = { type: 'ping'; epoch: Epoch; commitZxid: Zxid };
/** A client write (or ordered read) a follower forwards to its leader. */
export type Forward = { type: 'forward'; epoch: Epoch; clientId: number; sequence: number; operation: ClientOperation };
