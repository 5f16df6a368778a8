import type { Declarations, NodeContext } from '../../protocol/protocol.js';
import { RAFT_MARKS, RAFT_MESSAGES, RAFT_TIMERS, type RaftMark, type RaftTimer } from '../raft/declarations.js';
import type { LockMessage, LockServiceMessage } from './messages.js';

const SERVICE_MESSAGES: Declarations<LockServiceMessage['type']> = {
  'lock-request': 'lock client to server: a lock-table command (open, create, delete, expire) or a read of the table, as a Raft client request',
  'lock-reply': "server to lock client: Raft's answer to a lock-request",
  keepalive: 'lock client to leader, every keepaliveMs: my session is alive',
  'keepalive-reply': 'leader to lock client: the session is alive (the lease runs from the keepalive sent), expired, or not the leader',
  watch: "lock client to leader: tell me when my predecessor's entry is gone",
  'watch-fired': "leader to lock client: the watched entry is gone (the client reads the table again)",
  access: 'lock client to resource: a plain read, or a read or write carrying the fencing token of its grant',
  'access-result': 'resource to lock client: the value read or written, or refused because a newer token was seen',
};

/** The lock service's messages and Raft's, which the lock servers exchange unchanged. */
export const LOCK_MESSAGES: Declarations<LockMessage['type']> = { ...RAFT_MESSAGES, ...SERVICE_MESSAGES };

export type LockServiceTimer = 'keepalive' | 'retry' | 'work' | 'expire-check';
export type LockTimer = LockServiceTimer | RaftTimer;

export const LOCK_TIMERS: Declarations<LockTimer> = {
  ...RAFT_TIMERS,
  keepalive: 'lock client: send a keepalive for its session',
  retry: 'lock client: resend an unanswered lock-service request or watch; give up on an unanswered resource access',
  work: "lock client: the critical section's work is done; write to the resource",
  'expire-check': 'lock server: as leader, propose the expiry of sessions silent for sessionTimeoutMs',
};

export type LockServiceMark =
  | 'session-opened'
  | 'session-expired'
  | 'session-lost'
  | 'granted-at-once'
  | 'granted-after-wait'
  | 'watch-fired'
  | 'lease-checked'
  | 'lease-expired-before-work'
  | 'write-accepted'
  | 'stale-token-rejected'
  | 'stale-token-accepted'
  | 'access-timed-out';
export type LockMark = LockServiceMark | RaftMark;

export const LOCK_MARKS: Declarations<LockMark> = {
  ...RAFT_MARKS,
  'session-opened': 'a lock client opened a session',
  'session-expired': 'the leader proposed the expiry of a silent session',
  'session-lost': 'a lock client learned its session had expired',
  'granted-at-once': 'a lock client created the lowest entry: granted without waiting',
  'granted-after-wait': 'a lock client became the lowest entry after its predecessor went away',
  'watch-fired': "the leader told a waiting client its predecessor's entry is gone",
  'lease-checked': "a holder found its lease valid and started its critical section's work (where pause-client stops it)",
  'lease-expired-before-work': 'a holder found its lease expired after reading the resource and gave up the operation',
  'write-accepted': 'the resource accepted a write in a critical section',
  'stale-token-rejected': 'the resource refused an access with an older fencing token than it had seen',
  'stale-token-accepted': 'planted bug: the resource accepted an access with an older fencing token than it had seen',
  'access-timed-out': 'a lock client gave up on a resource access that was not answered (outcome unknown)',
};

export type LockContext = NodeContext<LockMessage, LockTimer, LockMark>;
