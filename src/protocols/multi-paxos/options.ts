import { boolean, choice, defineOptions, integer, OptionsError } from '../../protocol/options.js';

/** How a leader answers reads. */
export type PaxosReadMode = 'log' | 'lease';

/** Multi-Paxos's options, as `protocol.options` in a scenario (all optional; see `faultline list`). */
export interface PaxosOptions {
  /** A follower starts phase 1 after a silence drawn from [min, max] of its local clock. */
  electionTimeoutMinMs: number;
  electionTimeoutMaxMs: number;
  heartbeatIntervalMs: number;
  /** At most this many slots proposed and not yet chosen (the phase 2 pipeline). */
  windowSlots: number;
  /** At most this many proposals or chosen values in one message. */
  maxSlotsPerMessage: number;
  /** Snapshot and truncate once this many applied slots sit after the last snapshot. */
  snapshotThreshold: number;
  maxPendingRequests: number;
  readMode: PaxosReadMode;
  leaseMs: number;
  /** PLANTED BUG: acceptors do not persist their promise and accepted values (forgotten on restart). */
  unsafeForgetAcceptorState: boolean;
  /** PLANTED BUG: a new leader ignores the values reported in promises and proposes its own. */
  unsafeIgnorePromisedValues: boolean;
  /** PLANTED BUG: the proposer's round is not persisted, so a restarted node reuses ballots. */
  unsafeVolatileRound: boolean;
  /** PLANTED BUG: phase 1 covers no slot beyond those the new leader knows chosen; it proposes there anyway. */
  unsafeSkipPhase1Beyond: boolean;
}

export const PAXOS_OPTIONS = defineOptions<PaxosOptions>(
  'multi-paxos',
  {
    electionTimeoutMinMs: integer({ default: 150, unit: 'ms', doc: 'shortest leader-silence before a node runs phase 1' }),
    electionTimeoutMaxMs: integer({ default: 300, unit: 'ms', doc: 'longest leader-silence before a node runs phase 1' }),
    heartbeatIntervalMs: integer({ default: 50, unit: 'ms', doc: 'how often a leader sends heartbeats and retransmits' }),
    windowSlots: integer({ default: 64, unit: 'entries', doc: 'slots proposed and not yet chosen at once (pipelining)' }),
    maxSlotsPerMessage: integer({ default: 64, unit: 'entries', doc: 'proposals or chosen values in one message' }),
    snapshotThreshold: integer({ default: 1000, unit: 'entries', doc: 'snapshot and truncate once this many applied slots accumulate' }),
    maxPendingRequests: integer({ default: 10_000, unit: 'requests', doc: 'client requests waiting at a leader; more are answered fail' }),
    readMode: choice(['log', 'lease'], { default: 'log', doc: 'reads through the log (linearizable) or under a leader lease' }),
    leaseMs: integer({ default: 120, unit: 'ms', doc: 'lease length for readMode: lease' }),
    unsafeForgetAcceptorState: boolean({ default: false, plantedBug: true, source: 'Paxos Made Simple §2.2: an acceptor remembers its promise and accepted value across failures', caughtBy: 'Promise Monotonicity', doc: 'acceptors do not persist promises or accepted values' }),
    unsafeIgnorePromisedValues: boolean({ default: false, plantedBug: true, source: 'Paxos Made Simple §2.2, P2c: propose the highest-numbered value reported', caughtBy: 'Chosen Stability', doc: 'a new leader ignores accepted values reported in promises' }),
    unsafeVolatileRound: boolean({ default: false, plantedBug: true, source: 'Paxos Made Simple §2.2: different proposals have different numbers', caughtBy: 'Ballot Uniqueness', doc: 'the round is not persisted: ballots reused after a restart' }),
    unsafeSkipPhase1Beyond: boolean({ default: false, plantedBug: true, source: 'Paxos Made Simple §3: phase 1 covers every slot the leader may propose in', caughtBy: 'Chosen Stability', doc: 'a new leader proposes in slots it never ran phase 1 for' }),
  },
  checkRelations,
);

export const DEFAULT_PAXOS_OPTIONS: Readonly<PaxosOptions> = PAXOS_OPTIONS.defaults();

function checkRelations(options: PaxosOptions): void {
  if (options.electionTimeoutMaxMs < options.electionTimeoutMinMs) {
    throw new OptionsError('electionTimeoutMaxMs', 'must be at least electionTimeoutMinMs');
  }
  if (options.heartbeatIntervalMs >= options.electionTimeoutMinMs) {
    throw new OptionsError('heartbeatIntervalMs', 'must be below electionTimeoutMinMs, or followers time out on a healthy leader');
  }
  // Followers refuse other proposers for electionTimeoutMinMs after hearing the leader; a longer
  // lease would be unsafe even with perfect clocks (the same bound as Raft's).
  if (options.leaseMs > options.electionTimeoutMinMs) {
    throw new OptionsError('leaseMs', 'must not exceed electionTimeoutMinMs');
  }
}
