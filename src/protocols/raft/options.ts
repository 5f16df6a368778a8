import { OptionsError } from '../../protocol/protocol.js';

/** Local clock readings and timer delays are integer microseconds (the contract's `Micros`). */
export type Micros = number;
export const MICROS_PER_MS = 1_000;

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
  /** PLANTED BUG for tests: commit entries of earlier terms by counting replicas (breaks Figure 8). */
  unsafeCommitPreviousTermEntries: boolean;
  /** PLANTED BUG for tests: grant votes without persisting them first (double votes after a crash). */
  unsafeSkipPersistVote: boolean;
  /** PLANTED BUG for tests: answer reads from local state without any leadership check. */
  unsafeStaleReads: boolean;
}

export const DEFAULT_RAFT_OPTIONS: Readonly<RaftOptions> = {
  electionTimeoutMinMs: 150,
  electionTimeoutMaxMs: 300,
  heartbeatIntervalMs: 50,
  preVote: true,
  checkQuorum: true,
  snapshotThreshold: 1000,
  maxInflightMessages: 64,
  maxEntriesPerMessage: 64,
  maxPendingRequests: 10_000,
  readMode: 'read-index',
  leaseMs: 120,
  unsafeCommitPreviousTermEntries: false,
  unsafeSkipPersistVote: false,
  unsafeStaleReads: false,
};

type FieldKind = 'positive-integer' | 'boolean' | 'read-mode';

const FIELDS: Record<keyof RaftOptions, FieldKind> = {
  electionTimeoutMinMs: 'positive-integer',
  electionTimeoutMaxMs: 'positive-integer',
  heartbeatIntervalMs: 'positive-integer',
  preVote: 'boolean',
  checkQuorum: 'boolean',
  snapshotThreshold: 'positive-integer',
  maxInflightMessages: 'positive-integer',
  maxEntriesPerMessage: 'positive-integer',
  maxPendingRequests: 'positive-integer',
  readMode: 'read-mode',
  leaseMs: 'positive-integer',
  unsafeCommitPreviousTermEntries: 'boolean',
  unsafeSkipPersistVote: 'boolean',
  unsafeStaleReads: 'boolean',
};

/** Validates `protocol.options` and completes it with defaults; throws `OptionsError`. */
export function parseRaftOptions(raw: unknown): RaftOptions {
  if (raw === undefined || raw === null) return { ...DEFAULT_RAFT_OPTIONS };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new OptionsError('', 'raft options must be a mapping');
  const options: RaftOptions = { ...DEFAULT_RAFT_OPTIONS };
  for (const [field, value] of Object.entries(raw)) {
    if (!Object.hasOwn(FIELDS, field)) throw new OptionsError(field, `unknown raft option '${field}'`);
    const key = field as keyof RaftOptions;
    checkField(key, FIELDS[key], value);
    (options as unknown as Record<string, unknown>)[key] = value;
  }
  checkRelations(options);
  return options;
}

function checkField(field: string, kind: FieldKind, value: unknown): void {
  switch (kind) {
    case 'positive-integer':
      if (!(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
        throw new OptionsError(field, `must be a positive integer, got ${JSON.stringify(value)}`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw new OptionsError(field, `must be true or false, got ${JSON.stringify(value)}`);
      return;
    case 'read-mode':
      if (value !== 'read-index' && value !== 'lease') {
        throw new OptionsError(field, `must be 'read-index' or 'lease', got ${JSON.stringify(value)}`);
      }
      return;
    default:
      throw new OptionsError(field, `unhandled option kind ${String(kind)}`);
  }
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
