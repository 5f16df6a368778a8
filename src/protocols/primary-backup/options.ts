import { boolean, defineOptions, integer, OptionsError } from '../../protocol/options.js';

export interface PbOptions {
  heartbeatMs: number;
  /** A backup that hears nothing from the primary for this long (±50%) starts a view change. */
  primaryTimeoutMs: number;
  /** Most entries in one Prepare (a backup far behind catches up in batches of this many). */
  maxEntriesPerPrepare: number;
  /** Client requests waiting at the primary for their commit; more are answered fail. */
  maxPendingRequests: number;
  /**
   * Planted bug for demonstrations: the primary answers a write once it is in its own log,
   * without waiting for a majority (asynchronous replication). Failover then loses
   * acknowledged writes, and the history stops being linearizable.
   */
  unsafeAsyncReplication: boolean;
}

export const PB_OPTIONS = defineOptions<PbOptions>(
  'primary-backup',
  {
    // Swarm ranges keep the timeout at least twice the heartbeat whatever both draw.
    heartbeatMs: integer({ default: 50, unit: 'ms', doc: 'how often the primary sends Commit heartbeats', swarm: [20, 80] }),
    primaryTimeoutMs: integer({ default: 300, unit: 'ms', doc: 'silence (±50%) after which a backup starts a view change', swarm: [200, 600] }),
    maxEntriesPerPrepare: integer({ default: 64, min: 1, unit: 'entries', doc: 'most log entries in one Prepare' }),
    maxPendingRequests: integer({ default: 10_000, min: 1, unit: 'requests', doc: 'client requests waiting at the primary for their commit; more are answered fail' }),
    unsafeAsyncReplication: boolean({ default: false, plantedBug: true, source: 'asynchronous replication: acknowledged writes lost on failover (VR Revisited §4)', caughtBy: 'linearizability', doc: 'answer writes before a majority holds them (loses writes on failover)' }),
  },
  (options) => {
    if (options.primaryTimeoutMs < 2 * options.heartbeatMs) {
      throw new OptionsError('primaryTimeoutMs', `expected at least twice heartbeatMs (${options.heartbeatMs})`);
    }
  },
);
