import type { Json } from '../../history/operation.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { fail } from '../../util/assert.js';
import { restoreKvStore } from '../kv/store.js';
import type { ZabContext } from './declarations.js';
import type { Snapshot, Txn } from './messages.js';
import type { Health, ZabState } from './state.js';
import { counterOf, epochOf, makeZxid, type Epoch, type Zxid } from './zxid.js';

/**
 * The durable layout (ZooKeeper keeps the same things in files of its data directory):
 *   accepted-epoch   <epoch>          written before ACKEPOCH (or, for a leader, LEADERINFO)
 *   current-epoch    <epoch>          written before acknowledging NEWLEADER (leader: before syncing)
 *   txn/<zxid>       a Txn            one per txn after the snapshot, written before its ACK
 *   snapshot/<zxid>  {zxid, data}     the latest snapshot
 *   recovering       true             present while the server recovers from corrupt history
 *   batch-end        true             the last record of every batch (a torn write lands here)
 */
export const ACCEPTED_EPOCH_KEY = 'accepted-epoch';
export const CURRENT_EPOCH_KEY = 'current-epoch';
export const RECOVERING_KEY = 'recovering';
export const BATCH_END_KEY = 'batch-end';
const TXN_PREFIX = 'txn/';
const SNAPSHOT_PREFIX = 'snapshot/';

/**
 * Txn record keys by zxid, built once per process (as Raft's log keys): every txn is written and
 * later deleted under its key on each server, and a string already built and hashed makes both a
 * cheap map operation. Strings are immutable, so sharing them across runs carries no state.
 */
const TXN_KEYS: string[][] = [];
const EPOCHS_CACHED = 1 << 8;
const COUNTERS_CACHED = 1 << 16;

export function txnKey(zxid: Zxid): string {
  const epoch = epochOf(zxid);
  const counter = counterOf(zxid);
  if (epoch >= EPOCHS_CACHED || counter >= COUNTERS_CACHED) return TXN_PREFIX + zxid;
  const keys = (TXN_KEYS[epoch] ??= []);
  // Filled densely up to the counter asked for, so each epoch's array stays packed.
  while (keys.length <= counter) keys.push(TXN_PREFIX + makeZxid(epoch, keys.length));
  return keys[counter] as string;
}

function write(state: ZabState, context: ZabContext, key: string, value: Json | undefined): void {
  if (state.health === 'quarantined') fail(`quarantined server ${state.id} writes ${key}`);
  context.persist(key, value);
  state.wroteThisStep = true;
}

export function persistAcceptedEpoch(state: ZabState, context: ZabContext): void {
  // ZOOKEEPER-335: before acceptedEpoch existed, the epoch lived only in the zxids of the log.
  if (state.options.unsafeEpochFromZxid) return;
  write(state, context, ACCEPTED_EPOCH_KEY, state.acceptedEpoch);
}

export function persistCurrentEpoch(state: ZabState, context: ZabContext): void {
  if (state.options.unsafeEpochFromZxid) return;
  write(state, context, CURRENT_EPOCH_KEY, state.currentEpoch);
}

export function persistTxn(state: ZabState, context: ZabContext, txn: Txn): void {
  write(state, context, txnKey(txn.zxid), txn);
}

export function deleteTxns(state: ZabState, context: ZabContext, txns: readonly Txn[]): void {
  // Highest first, so an interrupted deletion still leaves a prefix.
  for (let i = txns.length - 1; i >= 0; i--) write(state, context, txnKey((txns[i] as Txn).zxid), undefined);
}

export function persistSnapshot(state: ZabState, context: ZabContext, snapshot: Snapshot, previous: Snapshot | null): void {
  write(state, context, SNAPSHOT_PREFIX + snapshot.zxid, snapshot);
  if (previous !== null && previous.zxid !== snapshot.zxid) write(state, context, SNAPSHOT_PREFIX + previous.zxid, undefined);
}

export function persistRecovering(state: ZabState, context: ZabContext, recovering: boolean): void {
  write(state, context, RECOVERING_KEY, recovering ? true : undefined);
}

/** Closes the step's batch of writes. */
export function endBatch(state: ZabState, context: ZabContext): void {
  if (!state.wroteThisStep) return;
  context.persist(BATCH_END_KEY, true);
  state.wroteThisStep = false;
}

export interface Recovered {
  health: Health;
  acceptedEpoch: Epoch;
  currentEpoch: Epoch;
  snapshot: Snapshot | null;
  txns: Txn[];
  /** Keys to delete: old snapshots, txns under the snapshot, a corrupt suffix. */
  garbage: string[];
  /** A new corruption was found: persist `recovering` before deleting anything. */
  newlyRecovering: boolean;
}

/** Reads the disk, checking every record. */
export function recover(disk: DurableReader, epochFromZxid: boolean): Recovered {
  const result: Recovered = { health: 'healthy', acceptedEpoch: 0, currentEpoch: 0, snapshot: null, txns: [], garbage: [], newlyRecovering: false };
  const accepted = readEpoch(disk, ACCEPTED_EPOCH_KEY);
  const current = readEpoch(disk, CURRENT_EPOCH_KEY);
  const recovering = disk.read(RECOVERING_KEY);
  if (accepted === undefined || current === undefined || recovering.kind === 'corrupt') {
    result.health = 'quarantined';
    return result;
  }
  if (recovering.kind === 'value') result.health = 'recovering';
  const txnKeys: Zxid[] = [];
  const snapshotKeys: Zxid[] = [];
  for (const key of disk.keys()) {
    if (key.startsWith(TXN_PREFIX)) txnKeys.push(Number(key.slice(TXN_PREFIX.length)));
    else if (key.startsWith(SNAPSHOT_PREFIX)) snapshotKeys.push(Number(key.slice(SNAPSHOT_PREFIX.length)));
  }
  txnKeys.sort((a, b) => a - b);
  snapshotKeys.sort((a, b) => a - b);
  let lost = recoverSnapshot(disk, snapshotKeys, result);
  const base = result.snapshot === null ? 0 : result.snapshot.zxid;
  for (const zxid of txnKeys) {
    if (zxid <= base || lost) {
      result.garbage.push(TXN_PREFIX + zxid);
      continue;
    }
    const txn = parseTxn(disk, zxid);
    if (txn === undefined) {
      lost = true;
      result.garbage.push(TXN_PREFIX + zxid);
    } else result.txns.push(txn);
  }
  result.garbage.reverse();
  if (lost && result.health === 'healthy') {
    result.health = 'recovering';
    result.newlyRecovering = true;
  }
  result.acceptedEpoch = accepted;
  result.currentEpoch = current;
  if (epochFromZxid) {
    // ZOOKEEPER-335's world: both epochs are whatever the last logged zxid says.
    const last = result.txns[result.txns.length - 1]?.zxid ?? base;
    result.acceptedEpoch = epochOf(last);
    result.currentEpoch = result.acceptedEpoch;
  }
  return result;
}

/** An epoch record: 0 when missing, undefined when corrupt. */
function readEpoch(disk: DurableReader, key: string): Epoch | undefined {
  const record = disk.read(key);
  if (record.kind === 'missing') return 0;
  if (record.kind === 'corrupt' || typeof record.value !== 'number') return undefined;
  return record.value;
}

/** Takes the newest snapshot; returns true when it was unreadable (its history is lost). */
function recoverSnapshot(disk: DurableReader, zxids: Zxid[], result: Recovered): boolean {
  const newest = zxids[zxids.length - 1];
  for (const zxid of zxids) if (zxid !== newest) result.garbage.push(SNAPSHOT_PREFIX + zxid);
  if (newest === undefined) return false;
  const record = disk.read(SNAPSHOT_PREFIX + newest);
  const value = record.kind === 'value' ? record.value : null;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && value.zxid === newest && value.data !== undefined && restoreKvStore(value.data) !== undefined) {
    result.snapshot = { zxid: newest, data: value.data };
    return false;
  }
  result.garbage.push(SNAPSHOT_PREFIX + newest);
  return true;
}

function parseTxn(disk: DurableReader, zxid: Zxid): Txn | undefined {
  const record = disk.read(TXN_PREFIX + zxid);
  if (record.kind !== 'value') return undefined;
  const value = record.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value.zxid !== zxid) return undefined;
  const command = value.command;
  if (typeof command !== 'object' || command === null || Array.isArray(command) || typeof command.clientId !== 'number') return undefined;
  return value as unknown as Txn;
}
