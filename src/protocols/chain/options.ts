import { boolean, defineOptions, integer, OptionsError } from '../../protocol/options.js';

export interface ChainOptions {
  /** Nodes 0..masters-1 are the configuration master group (a Raft group); the rest are replicas. */
  masters: number;
  heartbeatMs: number;
  /** The master removes a member not heard from for this long. */
  failureTimeoutMs: number;
  /**
   * The tail answers reads only within this long of sending a heartbeat the master leader
   * confirmed (less than failureTimeoutMs; a new tail's first lease waits failureTimeoutMs).
   */
  readLeaseMs: number;
  checkMs: number;
  /** Unacknowledged updates (and an unconfirmed state transfer) are resent after this long. */
  retryMs: number;
  /** PLANTED BUG: every replica answers reads from its own store, not only the tail. */
  unsafeReadFromAnyReplica: boolean;
  /** PLANTED BUG: a predecessor whose successor was removed drops its in-flight updates instead of resending them. */
  unsafeNoResendOnRemoval: boolean;
}

export const CHAIN_OPTIONS = defineOptions<ChainOptions>(
  'chain-replication',
  {
    masters: integer({ default: 3, min: 1, max: 9, doc: 'nodes 0..masters-1 run the configuration master on Raft (an odd number); the rest are replicas' }),
    heartbeatMs: integer({ default: 20, max: 10_000, unit: 'ms', doc: 'how often each replica heartbeats the master nodes' }),
    failureTimeoutMs: integer({ default: 100, max: 60_000, unit: 'ms', doc: 'the master removes a member not heard from for this long' }),
    readLeaseMs: integer({ default: 50, max: 60_000, unit: 'ms', doc: 'the tail answers reads only this long after sending a heartbeat the master leader confirmed' }),
    checkMs: integer({ default: 10, max: 10_000, unit: 'ms', doc: 'how often the master checks for silent members' }),
    retryMs: integer({ default: 30, max: 10_000, unit: 'ms', doc: 'unacknowledged updates and an unconfirmed state transfer are resent after this long' }),
    unsafeReadFromAnyReplica: boolean({
      default: false,
      plantedBug: true,
      source: 'van Renesse & Schneider, OSDI 2004, section 2: queries are directed to the tail, which holds only updates every replica has',
      caughtBy: 'linearizability',
      doc: 'every replica answers reads from its own store, seeing updates the tail does not have yet',
    }),
    unsafeNoResendOnRemoval: boolean({
      default: false,
      plantedBug: true,
      source: 'van Renesse & Schneider, OSDI 2004, section 3 (failure of other servers): the predecessor sends its Sent updates to the new successor',
      caughtBy: 'replica-prefix-order',
      doc: 'a predecessor whose successor was removed drops its in-flight updates, and the new successor takes its next update as the next in order',
    }),
  },
  (options) => {
    if (options.masters % 2 === 0) throw new OptionsError('masters', `expected an odd number (a Raft group of ${options.masters} tolerates no more failures than one of ${options.masters - 1})`);
    if (options.readLeaseMs >= options.failureTimeoutMs) throw new OptionsError('readLeaseMs', `expected less than failureTimeoutMs (${options.failureTimeoutMs})`);
    if (options.heartbeatMs >= options.readLeaseMs) throw new OptionsError('heartbeatMs', `expected less than readLeaseMs (${options.readLeaseMs})`);
  },
);
