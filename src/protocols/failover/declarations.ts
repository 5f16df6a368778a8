import type { Declarations, NodeContext } from '../../protocol/protocol.js';
import type { FailoverMessage } from './messages.js';

export const FAILOVER_MESSAGES: Declarations<FailoverMessage['type']> = {
  heartbeat: 'server to manager, every heartbeatMs: alive, with the epoch the server knows',
  view: 'manager to server: the current epoch and its primary (a heartbeat answer, and at every failover)',
  fence: 'new primary to storage: from now on reject every operation of an older epoch',
  fenced: 'storage to primary: the fence is durable, or a newer epoch is already in force',
  op: 'primary to storage: one client operation tagged with the primary epoch',
  result: 'storage to primary: the response with the write position, or stale when fenced off',
};

export type FailoverTimer = 'heartbeat' | 'check' | 'retry';

export const FAILOVER_TIMERS: Declarations<FailoverTimer> = {
  heartbeat: 'server: send a heartbeat to the manager',
  check: 'manager: ask the failure detector about the primary',
  retry: 'primary: resend an unanswered fence, give up on operations the storage never answered',
};

export type FailoverMark =
  | 'suspected'
  | 'failover'
  | 'no-standby'
  | 'promoted'
  | 'fenced'
  | 'stepped-down'
  | 'fenced-off'
  | 'stale-op-accepted'
  | 'op-timed-out'
  | 'manager-recovered';

export const FAILOVER_MARKS: Declarations<FailoverMark> = {
  suspected: 'the failure detector suspected the primary',
  failover: 'the manager promoted a standby with a new epoch',
  'no-standby': 'the primary is suspected but no standby has heartbeated recently: no failover yet',
  promoted: 'a server learned it is the primary of a newer epoch',
  fenced: 'the storage raised its epoch on a fence',
  'stepped-down': 'a primary learned of a newer epoch and became a standby',
  'fenced-off': 'the storage refused an operation of an older epoch',
  'stale-op-accepted': 'planted bug: the storage accepted an operation of an older epoch',
  'op-timed-out': 'a primary gave up on an operation the storage never answered (outcome unknown)',
  'manager-recovered': 'a restarted manager found its epoch and primary on disk',
};

export type FailoverContext = NodeContext<FailoverMessage, FailoverTimer, FailoverMark>;
