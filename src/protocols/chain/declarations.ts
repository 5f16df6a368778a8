import type { Declarations, NodeContext } from '../../protocol/protocol.js';
import { RAFT_MARKS, RAFT_MESSAGES, RAFT_TIMERS, type RaftMark, type RaftTimer } from '../raft/declarations.js';
import type { ChainMessage, ChainServiceMessage } from './messages.js';

const SERVICE_MESSAGES: Declarations<ChainServiceMessage['type']> = {
  'replica-heartbeat': 'replica to every master node: alive, with the configuration version it knows and the one it joined at',
  config: 'master leader to replica: an applied configuration, the chain from head to tail (on every change, to a replica behind, and to the tail as its lease confirmation)',
  update: 'predecessor to successor: one update, in the head sequence order',
  ack: 'successor to predecessor: every update up to seq has reached the tail',
  fetch: 'a member added without state to its predecessor: send the state',
  state: 'old tail to the node added after it: the whole store as of an update',
};

/** Chain replication's messages and Raft's, which the master nodes exchange unchanged. */
export const CHAIN_MESSAGES: Declarations<ChainMessage['type']> = { ...RAFT_MESSAGES, ...SERVICE_MESSAGES };

export type ChainServiceTimer = 'replica-heartbeat' | 'check' | 'retry';
export type ChainTimer = ChainServiceTimer | RaftTimer;

export const CHAIN_TIMERS: Declarations<ChainTimer> = {
  ...RAFT_TIMERS,
  'replica-heartbeat': 'replica: send a heartbeat to every master node',
  check: 'master node: as the acting master, propose the removal of members not heard from within failureTimeoutMs',
  retry: 'replica: resend unacknowledged updates and an unconfirmed state transfer',
};

export type ChainServiceMark =
  | 'master-took-over'
  | 'config-proposed'
  | 'stale-proposal-refused'
  | 'new-tail-lease-waits'
  | 'member-removed'
  | 'member-added'
  | 'head-changed'
  | 'tail-changed'
  | 'middle-removed'
  | 'in-flight-resent'
  | 'state-transferred'
  | 'update-gap'
  | 'read-lease-expired'
  | 'clock-went-back'
  | 'master-recovered'
  | 'rejoined-after-restart';
export type ChainMark = ChainServiceMark | RaftMark;

export const CHAIN_MARKS: Declarations<ChainMark> = {
  ...RAFT_MARKS,
  'master-took-over': 'a master node became the acting master: Raft leader with an entry of its term committed (failure clocks start afresh)',
  'config-proposed': 'the acting master proposed a new configuration to the master group (a compare-and-set from the applied version)',
  'stale-proposal-refused': "a configuration proposal found the configuration changed since it was made (compare-and-set failed) and did not apply",
  'new-tail-lease-waits': 'the acting master withheld a read lease from a tail whose configuration it applied less than failureTimeoutMs ago',
  'member-removed': 'the master proposed the removal of a member it had not heard from',
  'member-added': 'the master proposed adding a node at the tail',
  'head-changed': 'a replica became the head',
  'tail-changed': 'a replica became the tail',
  'middle-removed': 'a replica got a new successor (its successor was removed): it resends what is in flight',
  'in-flight-resent': 'a replica resent unacknowledged updates (after a removal or a timeout)',
  'state-transferred': 'a node added at the tail installed the old tail state',
  'update-gap': 'a replica got an update past a gap and waited for the resend',
  'read-lease-expired': 'the tail refused a read: its configuration is not confirmed recently enough',
'clock-went-back': 'a replica saw its local clock go back and dropped its read lease',
  'master-recovered': 'a restarted master node found its Raft state on disk',
  'rejoined-after-restart': 'the master proposed moving a restarted replica (state lost) to the tail to be filled again',
};

export type ChainContext = NodeContext<ChainMessage, ChainTimer, ChainMark>;
