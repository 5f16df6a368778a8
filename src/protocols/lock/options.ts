import { boolean, defineOptions, integer, OptionsError } from '../../protocol/options.js';

export interface LockOptions {
  /** How many lock servers (nodes 1..servers) run Raft with the lock table as its state machine. */
  servers: number;
  /** A lock client sends a keepalive to the leader this often. */
  keepaliveMs: number;
  /** The leader expires a session it has not heard a keepalive from for this long. */
  sessionTimeoutMs: number;
  /** A client trusts its lease this long after sending a keepalive the leader confirmed (less than sessionTimeoutMs). */
  leaseMs: number;
  /** How often the leader looks for sessions to expire. */
  expiryCheckMs: number;
  /** The critical section's work: from the lease check to the write. */
  workMs: number;
  /** A request to the lock service or the resource is resent (or given up on) after this long. */
  requestTimeoutMs: number;
  /** A waiting client registers its watch again this often (a new leader holds no watches). */
  watchRefreshMs: number;
  /** PLANTED BUG: the resource does not check fencing tokens. */
  unsafeNoTokenCheck: boolean;
}

export const LOCK_OPTIONS = defineOptions<LockOptions>(
  'lock',
  {
    servers: integer({ default: 3, min: 1, max: 9, doc: 'lock servers (nodes 1..servers) running Raft over the lock table; node 0 is the resource, the rest are lock clients' }),
    keepaliveMs: integer({ default: 30, min: 1, max: 10_000, unit: 'ms', doc: 'how often a lock client sends a keepalive for its session' }),
    sessionTimeoutMs: integer({ default: 300, min: 1, max: 60_000, unit: 'ms', doc: 'the leader expires a session silent for this long, deleting its entries' }),
    leaseMs: integer({ default: 200, min: 1, max: 60_000, unit: 'ms', doc: 'a client trusts its lease this long after sending a keepalive the leader confirmed' }),
    expiryCheckMs: integer({ default: 20, min: 1, max: 10_000, unit: 'ms', doc: 'how often the leader looks for sessions to expire' }),
    workMs: integer({ default: 10, min: 1, max: 10_000, unit: 'ms', doc: "the critical section's work, between the lease check and the write" }),
    requestTimeoutMs: integer({ default: 100, min: 1, max: 60_000, unit: 'ms', doc: 'a request to the lock service is resent, one to the resource given up on, after this long' }),
    watchRefreshMs: integer({ default: 100, min: 1, max: 60_000, unit: 'ms', doc: 'a waiting client registers its watch on its predecessor again this often' }),
    unsafeNoTokenCheck: boolean({
      default: false,
      plantedBug: true,
      source: 'Kleppmann, "How to do distributed locking" (2016); Burrows, "The Chubby lock service" (OSDI 2006) §2.4 on sequencers: a client paused past its lease writes after the next holder unless the resource checks the token',
      caughtBy: 'no-stale-write',
      doc: 'the resource accepts writes with any fencing token, so a client paused past its lease writes after the next holder',
    }),
  },
  (options) => {
    if (options.leaseMs >= options.sessionTimeoutMs) throw new OptionsError('leaseMs', `expected less than sessionTimeoutMs (${options.sessionTimeoutMs})`);
    if (options.keepaliveMs >= options.leaseMs) throw new OptionsError('keepaliveMs', `expected less than leaseMs (${options.leaseMs})`);
  },
);
