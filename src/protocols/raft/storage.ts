import type { RaftContext } from './declarations.js';
import type { Json } from '../../history/operation.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { fail } from '../../util/assert.js';
import { restoreKvStore } from '../kv/store.js';
import type { Index, LogEntry, Snapshot } from './messages.js';
import type { Health, RaftState } from './state.js';

/**
 * The durable layout, one record per key so appending an entry writes one small record:
 *   hard-state        {term, vote}            written before any message that depends on it
 *   log/<index>       a LogEntry               one per entry after the snapshot
 *   snapshot/<index>  {index, term, data}      the latest snapshot (the key names its index)
 *   recovery-bound    <index>                  present while the node recovers from corruption
 *   batch-end         true                     the last record of every batch of writes
 *
 * Why `batch-end`: a crash tears the last unsynced write. Ending each batch with a record that
 * carries no information means a tear lands there, and a corrupt real record always means a
 * storage fault on data the node may have acknowledged, which recovery must treat as lost.
 */
export const HARD_STATE_KEY = 'hard-state';
export const RECOVERY_BOUND_KEY = 'recovery-bound';
export const BATCH_END_KEY = 'batch-end';
const LOG_PREFIX = 'log/';
const SNAPSHOT_PREFIX = 'snapshot/';

/**
 * Log record keys by index, built once per process: every entry is written and later deleted
 * under its key on each of the nodes, and a string already built (and hashed) makes both a cheap
 * map operation. Strings are immutable, so sharing them across runs cannot carry state.
 */
const LOG_KEYS: string[] = [];
const LOG_KEYS_CACHED = 1 << 16;

export function logKey(index: Index): string {
  if (index >= 0 && index < LOG_KEYS.length) return LOG_KEYS[index] as string;
  if (index >= LOG_KEYS_CACHED || index < 0) return LOG_PREFIX + index;
  // Filled densely up to the index asked for, so the array stays packed.
  while (LOG_KEYS.length <= index) LOG_KEYS.push(LOG_PREFIX + LOG_KEYS.length);
  return LOG_KEYS[index] as string;
}

export function snapshotKey(index: Index): string {
  return SNAPSHOT_PREFIX + index;
}

type Context = RaftContext;

function write(state: RaftState, context: Context, key: string, value: Json | undefined): void {
  if (state.health.kind === 'quarantined') fail(`quarantined node ${state.id} writes ${key}`);
  context.persist(key, value);
  state.wroteThisStep = true;
}

export function persistHardState(state: RaftState, context: Context): void {
  write(state, context, HARD_STATE_KEY, { term: state.currentTerm, vote: state.votedFor });
}

export function persistEntry(state: RaftState, context: Context, entry: LogEntry): void {
  write(state, context, logKey(entry.index), entry);
}

/** Deletes log records from `last` down to `first`, highest first, so a prefix always remains. */
export function deleteEntries(state: RaftState, context: Context, first: Index, last: Index): void {
  for (let index = last; index >= first; index--) write(state, context, logKey(index), undefined);
}

/** Writes a new snapshot, then forgets the previous one (the new one is durable first). */
export function persistSnapshot(state: RaftState, context: Context, snapshot: Snapshot, previous: Snapshot | null): void {
  write(state, context, snapshotKey(snapshot.index), snapshot);
  if (previous !== null && previous.index !== snapshot.index) write(state, context, snapshotKey(previous.index), undefined);
}

export function persistRecoveryBound(state: RaftState, context: Context, bound: Index | undefined): void {
  write(state, context, RECOVERY_BOUND_KEY, bound);
}

/** Closes the step's batch of writes (see `batch-end` above). */
export function endBatch(state: RaftState, context: Context): void {
  if (!state.wroteThisStep) return;
  context.persist(BATCH_END_KEY, true);
  state.wroteThisStep = false;
}

/** What a restarting node rebuilds from its disk. */
export interface Recovered {
  term: number;
  vote: number | null;
  snapshot: Snapshot | null;
  entries: LogEntry[];
  health: Health;
  /** Keys to delete: garbage from interrupted compactions and discarded corrupt suffixes. */
  garbage: string[];
  /**
   * `write`: a new corruption was found; persist the health's bound before deleting garbage.
   * `clear`: a persisted bound is already satisfied by the snapshot; delete it.
   */
  boundAction: 'none' | 'write' | 'clear';
}

/** Reads the disk, checking every record; corruption is handled as documented on `Health`. */
export function recover(disk: DurableReader): Recovered {
  const result: Recovered = { term: 0, vote: null, snapshot: null, entries: [], health: { kind: 'healthy' }, garbage: [], boundAction: 'none' };
  const hardState = readHardState(disk);
  const bound = readRecoveryBound(disk);
  if (typeof hardState === 'string' || typeof bound === 'string') {
    result.health = { kind: 'quarantined', reason: typeof hardState === 'string' ? hardState : (bound as string) };
    return result;
  }
  result.term = hardState.term;
  result.vote = hardState.vote;
  const { logIndices, snapshotIndices } = listIndices(disk);
  const highestKnown = Math.max(0, ...logIndices, ...snapshotIndices);
  let lostFrom = recoverSnapshot(disk, snapshotIndices, result);
  if (lostFrom === undefined) lostFrom = recoverEntries(disk, logIndices, result);
  const snapshotIndex = result.snapshot === null ? 0 : result.snapshot.index;
  for (const index of logIndices) {
    const kept = index > snapshotIndex && index <= snapshotIndex + result.entries.length;
    if (!kept) result.garbage.push(logKey(index));
  }
  // Highest first, so an interrupted cleanup still leaves a log prefix.
  result.garbage.reverse();
  const untilIndex = lostFrom === undefined ? (bound ?? 0) : Math.max(bound ?? 0, highestKnown);
  if (untilIndex > snapshotIndex) {
    result.health = { kind: 'recovering', untilIndex };
    if (untilIndex !== bound) result.boundAction = 'write';
  } else if (bound !== undefined) {
    result.boundAction = 'clear';
  }
  return result;
}

function readHardState(disk: DurableReader): { term: number; vote: number | null } | string {
  const record = disk.read(HARD_STATE_KEY);
  if (record.kind === 'missing') return { term: 0, vote: null };
  if (record.kind === 'corrupt') return 'hard state record is corrupt';
  const value = record.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'hard state record is malformed';
  const { term, vote } = value;
  if (typeof term !== 'number' || !(vote === null || typeof vote === 'number')) return 'hard state record is malformed';
  return { term, vote };
}

function readRecoveryBound(disk: DurableReader): Index | undefined | string {
  const record = disk.read(RECOVERY_BOUND_KEY);
  if (record.kind === 'missing') return undefined;
  if (record.kind === 'corrupt' || typeof record.value !== 'number') return 'recovery bound record is corrupt';
  return record.value;
}

function listIndices(disk: DurableReader): { logIndices: Index[]; snapshotIndices: Index[] } {
  const logIndices: Index[] = [];
  const snapshotIndices: Index[] = [];
  for (const key of disk.keys()) {
    if (key.startsWith(LOG_PREFIX)) logIndices.push(Number(key.slice(LOG_PREFIX.length)));
    else if (key.startsWith(SNAPSHOT_PREFIX)) snapshotIndices.push(Number(key.slice(SNAPSHOT_PREFIX.length)));
  }
  logIndices.sort((a, b) => a - b);
  snapshotIndices.sort((a, b) => a - b);
  return { logIndices, snapshotIndices };
}

/** Takes the newest snapshot; returns the index from which data was lost if it is unreadable. */
function recoverSnapshot(disk: DurableReader, indices: Index[], result: Recovered): Index | undefined {
  const newest = indices[indices.length - 1];
  for (const index of indices) if (index !== newest) result.garbage.push(snapshotKey(index));
  if (newest === undefined) return undefined;
  const snapshot = parseSnapshot(disk, newest);
  if (snapshot === undefined) {
    // Everything up to the snapshot is gone, and the log after it has no base: discard it all.
    result.garbage.push(snapshotKey(newest));
    return 1;
  }
  result.snapshot = snapshot;
  return undefined;
}

function parseSnapshot(disk: DurableReader, index: Index): Snapshot | undefined {
  const record = disk.read(snapshotKey(index));
  if (record.kind !== 'value') return undefined;
  const value = record.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (value.index !== index || typeof value.term !== 'number' || value.data === undefined) return undefined;
  if (restoreKvStore(value.data) === undefined) return undefined;
  return { index, term: value.term, data: value.data };
}

/** Reads the contiguous log after the snapshot; returns the first lost index, if any was lost. */
function recoverEntries(disk: DurableReader, indices: Index[], result: Recovered): Index | undefined {
  const snapshotIndex = result.snapshot === null ? 0 : result.snapshot.index;
  let previousTerm = result.snapshot === null ? 0 : result.snapshot.term;
  const highest = indices.length === 0 ? 0 : (indices[indices.length - 1] as Index);
  for (let index = snapshotIndex + 1; index <= highest; index++) {
    const entry = parseEntry(disk, index);
    if (entry === undefined || entry.term < previousTerm) return index;
    result.entries.push(entry);
    previousTerm = entry.term;
  }
  return undefined;
}

function parseEntry(disk: DurableReader, index: Index): LogEntry | undefined {
  const record = disk.read(logKey(index));
  if (record.kind !== 'value') return undefined;
  const value = record.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (value.index !== index || typeof value.term !== 'number') return undefined;
  const command = value.command;
  if (typeof command !== 'object' || command === null || Array.isArray(command)) return undefined;
  if (command.kind !== 'noop' && command.kind !== 'client') return undefined;
  return value as unknown as LogEntry;
}
