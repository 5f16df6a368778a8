import { boolean, choice, defineOptions, integer, OptionsError } from '../../protocol/options.js';

/** How a server answers reads. */
export type ZabReadMode = 'local' | 'sync';

/** Zab's options, as `protocol.options` in a scenario (names after ZooKeeper's where it has them). */
export interface ZabOptions {
  /** ZooKeeper's tickTime: the leader's heartbeat interval and the unit of the two limits. */
  tickMs: number;
  /** Ticks a follower waits without news from its leader (and a leader without a quorum). */
  syncLimit: number;
  /** Ticks discovery plus synchronization may take before a server goes back to looking. */
  initLimit: number;
  /** FLE: how long a looking server waits for news before sending its vote again. */
  notificationRetryMs: number;
  /** FLE: once a quorum agrees, how long to wait for a better vote before deciding. */
  finalizeWaitMs: number;
  /** Snapshot once this many committed txns sit in the log. */
  snapshotThreshold: number;
  /** At most this many txns resent to a follower at once. */
  maxRetransmit: number;
  /** Client requests waiting at one server; more are answered fail. */
  maxPendingRequests: number;
  readMode: ZabReadMode;
  /** PLANTED BUG (ZOOKEEPER-1154): sync by DIFF without truncating a follower's txn the leader never had. */
  unsafeDiffWithoutTrunc: boolean;
  /** PLANTED BUG (ZOOKEEPER-335): the new epoch derived from the last logged zxid, never persisted. */
  unsafeEpochFromZxid: boolean;
  /** PLANTED BUG (ZOOKEEPER-3911): acknowledge NEWLEADER before the synced txns are durable. */
  unsafeAckNewLeaderBeforeSync: boolean;
}

export const ZAB_OPTIONS = defineOptions<ZabOptions>(
  'zab',
  {
    tickMs: integer({ default: 50, unit: 'ms', max: 10_000, doc: "ZooKeeper's tickTime: heartbeat interval and unit of the limits" }),
    syncLimit: integer({ default: 5, max: 1000, doc: 'ticks without news before a follower (or a leader without quorum) goes looking' }),
    initLimit: integer({ default: 10, max: 1000, doc: 'ticks discovery plus synchronization may take' }),
    notificationRetryMs: integer({ default: 100, unit: 'ms', max: 60_000, doc: 'FLE: resend the vote after this long without news' }),
    finalizeWaitMs: integer({ default: 20, unit: 'ms', min: 0, max: 10_000, doc: 'FLE: wait for a better vote before deciding' }),
    snapshotThreshold: integer({ default: 1000, unit: 'entries', doc: 'snapshot once this many committed txns sit in the log' }),
    maxRetransmit: integer({ default: 64, unit: 'entries', doc: 'txns resent to a lagging follower at once' }),
    maxPendingRequests: integer({ default: 10_000, unit: 'requests', doc: 'client requests waiting at one server; more are answered fail' }),
    readMode: choice(['local', 'sync'], { default: 'local', doc: 'local: any server answers from its state (sequential); sync: ordered via the leader (linearizable)' }),
    unsafeDiffWithoutTrunc: boolean({ default: false, plantedBug: true, source: 'ZOOKEEPER-1154', caughtBy: 'PrefixConsistency', doc: "ZOOKEEPER-1154: DIFF without truncating a follower's txn the leader never had" }),
    unsafeEpochFromZxid: boolean({ default: false, plantedBug: true, source: 'ZOOKEEPER-335', caughtBy: 'SingleLeader', doc: 'ZOOKEEPER-335: new epoch from the last zxid, never persisted (duplicate zxids)' }),
    unsafeAckNewLeaderBeforeSync: boolean({ default: false, plantedBug: true, source: 'ZOOKEEPER-3911', caughtBy: 'Total order / PrefixConsistency', doc: 'ZOOKEEPER-3911: ack NEWLEADER before the synced txns are durable' }),
  },
  checkRelations,
);

export const DEFAULT_ZAB_OPTIONS: Readonly<ZabOptions> = ZAB_OPTIONS.defaults();

function checkRelations(options: ZabOptions): void {
  if (options.syncLimit < 2) throw new OptionsError('syncLimit', 'must be at least 2 ticks, or a healthy follower misses one heartbeat and leaves');
  if (options.initLimit < options.syncLimit) throw new OptionsError('initLimit', 'must be at least syncLimit');
}
