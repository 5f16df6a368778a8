import { boolean, choice, defineOptions, integer, OptionsError } from '../../protocol/options.js';

/** How a leader answers reads. */
export type ReadMode = 'read-index' | 'lease';

/**
 * Raft's options, as `protocol.options` in a scenario. Every field is optional in the scenario;
 * `parseRaftOptions` fills in the defaults below and rejects unknown fields.
 */
export interface RaftOptions {
  /** A follower starts an election after a silence drawn from [min, max] of its local clock. */
  electionTimeoutMinMs: number;
  electionTimeoutMaxMs: number;
  /** How often a leader sends heartbeats (also the base of ReadIndex rounds). */
  heartbeatIntervalMs: number;
  /** Ask for pre-votes first so a rejoining partitioned node cannot depose a healthy leader. */
  preVote: boolean;
  /** A leader steps down when it has not heard from a quorum for an election timeout. */
  checkQuorum: boolean;
  /** Snapshot the state machine once this many applied entries sit in the log. */
  snapshotThreshold: number;
  /** At most this many append messages in flight to one follower. */
  maxInflightMessages: number;
  /** At most this many entries in one append message. */
  maxEntriesPerMessage: number;
  /** At most this many client requests waiting at a leader; more are answered `fail`. */
  maxPendingRequests: number;
  readMode: ReadMode;
  /** Lease length for `readMode: lease`; must not exceed the minimum election timeout. */
  leaseMs: number;
  /**
   * Every node answers reads from its own applied state and forwards writes to the leader,
   * answering them once it has applied them itself (ZooKeeper's read path on Raft). Reads are
   * then not linearizable by design; with `connection: sticky` clients they keep sequential
   * consistency and the four session guarantees (docs/consistency.md).
   */
  followerReads: boolean;
  /** PLANTED BUG for tests: commit entries of earlier terms by counting replicas (breaks Figure 8). */
  unsafeCommitPreviousTermEntries: boolean;
  /** PLANTED BUG for tests: grant votes without persisting them first (double votes after a crash). */
  unsafeSkipPersistVote: boolean;
  /** PLANTED BUG for tests: answer reads from local state without any leadership check. */
  unsafeStaleReads: boolean;
}

/** The table `faultline list` shows and scenarios are validated against. */
export const RAFT_OPTIONS = defineOptions<RaftOptions>(
  'raft',
  {
    // Swarm ranges keep every relation whatever is drawn: heartbeat < minimum timeout <= maximum, lease (120) <= minimum.
    electionTimeoutMinMs: integer({ default: 150, unit: 'ms', doc: 'shortest election timeout a follower draws', swarm: [120, 300] }),
    electionTimeoutMaxMs: integer({ default: 300, unit: 'ms', doc: 'longest election timeout a follower draws', swarm: [300, 600] }),
    heartbeatIntervalMs: integer({ default: 50, unit: 'ms', doc: 'how often a leader sends heartbeats', swarm: [20, 80] }),
    preVote: boolean({ default: true, doc: 'ask for pre-votes before a real election', swarm: true }),
    checkQuorum: boolean({ default: true, doc: 'a leader steps down without a quorum for an election timeout', swarm: true }),
    snapshotThreshold: integer({ default: 1000, unit: 'entries', doc: 'snapshot once this many applied entries sit in the log', swarm: [5, 500] }),
    maxInflightMessages: integer({ default: 64, unit: 'messages', doc: 'append messages in flight to one follower', swarm: [1, 64] }),
    maxEntriesPerMessage: integer({ default: 64, unit: 'entries', doc: 'entries in one append message', swarm: [1, 64] }),
    maxPendingRequests: integer({ default: 10_000, unit: 'requests', doc: 'client requests waiting at a leader; more are answered fail' }),
    readMode: choice(['read-index', 'lease'], { default: 'read-index', doc: 'how a leader answers reads' }),
    leaseMs: integer({ default: 120, unit: 'ms', doc: 'lease length for readMode: lease' }),
    followerReads: boolean({ default: false, doc: 'every node answers reads locally and forwards writes to the leader (not linearizable)' }),
    unsafeCommitPreviousTermEntries: boolean({ default: false, plantedBug: true, source: 'Raft paper §5.4.2, Figure 8', caughtBy: 'State Machine Safety', doc: 'commit earlier-term entries by counting replicas (Figure 8)' }),
    unsafeSkipPersistVote: boolean({ default: false, plantedBug: true, source: 'Raft paper Figure 2: votedFor is persistent state', caughtBy: 'Election Safety', doc: 'grant votes without persisting them (double votes after a crash)' }),
    unsafeStaleReads: boolean({ default: false, plantedBug: true, source: 'Raft dissertation §6.4: a read must confirm leadership', caughtBy: 'linearizability', doc: 'answer reads from local state with no leadership check' }),
  },
  checkRelations,
);

export const DEFAULT_RAFT_OPTIONS: Readonly<RaftOptions> = RAFT_OPTIONS.defaults();

/** Validates `protocol.options` and completes it with defaults; throws `OptionsError`. */
export function parseRaftOptions(raw: unknown): RaftOptions {
  return RAFT_OPTIONS.parse(raw);
}

function checkRelations(options: RaftOptions): void {
  if (options.electionTimeoutMaxMs < options.electionTimeoutMinMs) {
    throw new OptionsError('electionTimeoutMaxMs', 'must be at least electionTimeoutMinMs');
  }
  if (options.heartbeatIntervalMs >= options.electionTimeoutMinMs) {
    throw new OptionsError('heartbeatIntervalMs', 'must be below electionTimeoutMinMs, or followers time out on a healthy leader');
  }
  // The lease is only as long as the time followers promise not to elect anyone else; a longer
  // lease would be unsafe even with perfect clocks, and this is about showing clock faults.
  if (options.leaseMs > options.electionTimeoutMinMs) {
    throw new OptionsError('leaseMs', 'must not exceed electionTimeoutMinMs');
  }
  if (options.readMode === 'lease' && !options.checkQuorum) {
    throw new OptionsError('readMode', "'lease' needs checkQuorum: followers must refuse votes while a leader is live");
  }
}
