import type { Declarations, NodeContext } from '../../protocol/protocol.js';
import type { ChainMessage } from './messages.js';

export const CHAIN_MESSAGES: Declarations<ChainMessage['type']> = {
  heartbeat: 'replica to master: alive, with the configuration version it knows and the one it joined at',
  config: 'master to replica: the chain from head to tail (on every change, and as the heartbeat answer)',
  update: 'predecessor to successor: one update, in the head sequence order',
  ack: 'successor to predecessor: every update up to seq has reached the tail',
  fetch: 'a member added without state to its predecessor: send the state',
  state: 'old tail to the node added after it: the whole store as of an update',
};

export type ChainTimer = 'heartbeat' | 'check' | 'retry';

export const CHAIN_TIMERS: Declarations<ChainTimer> = {
  heartbeat: 'replica: send a heartbeat to the master',
  check: 'master: remove members not heard from within failureTimeoutMs',
  retry: 'replica: resend unacknowledged updates and an unconfirmed state transfer',
};

export type ChainMark =
  | 'member-removed'
  | 'member-added'
  | 'head-changed'
  | 'tail-changed'
  | 'middle-removed'
  | 'in-flight-resent'
  | 'state-transferred'
  | 'update-gap'
  | 'read-lease-expired'
  | 'master-recovered'
  | 'rejoined-after-restart';

export const CHAIN_MARKS: Declarations<ChainMark> = {
  'member-removed': 'the master removed a member it had not heard from',
  'member-added': 'the master added a node at the tail',
  'head-changed': 'a replica became the head',
  'tail-changed': 'a replica became the tail',
  'middle-removed': 'a replica got a new successor (its successor was removed): it resends what is in flight',
  'in-flight-resent': 'a replica resent unacknowledged updates (after a removal or a timeout)',
  'state-transferred': 'a node added at the tail installed the old tail state',
  'update-gap': 'a replica got an update past a gap and waited for the resend',
  'read-lease-expired': 'the tail refused a read: its configuration is not confirmed recently enough',
  'master-recovered': 'a restarted master found its configuration on disk',
  'rejoined-after-restart': 'a restarted replica (state lost) was moved to the tail to be filled again',
};

export type ChainContext = NodeContext<ChainMessage, ChainTimer, ChainMark>;
