import type { Json } from '../../history/operation.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { fail } from '../../util/assert.js';
import { applyKvCommand, createKvStore, executeKvOperation, isKvWrite, restoreKvStore, snapshotKvStore } from '../kv/index.js';
import type { FailoverContext } from './declarations.js';
import type { FailoverMessage } from './messages.js';
import type { FailoverState, StorageState } from './state.js';

type Op = Extract<FailoverMessage, { type: 'op' }>;

/** Everything the storage holds lives under one key, written before any answer leaves. */
const STORAGE_KEY = 'storage';

type StoredStorage = { store: Json; epoch: number; epochHolder: NodeId | null; writes: number; lastWrite: { epoch: number; from: NodeId } | null };

export function recoverStorage(disk: DurableReader): StorageState {
  const record = disk.read(STORAGE_KEY);
  if (record.kind === 'corrupt') fail('storage record is corrupt');
  if (record.kind === 'missing') return { store: createKvStore(), epoch: 0, epochHolder: null, writes: 0, lastWrite: null };
  const stored = record.value as StoredStorage;
  const store = restoreKvStore(stored.store);
  if (store === undefined) fail('storage record holds a malformed store');
  return { store, epoch: stored.epoch, epochHolder: stored.epochHolder, writes: stored.writes, lastWrite: stored.lastWrite };
}

function persist(storage: StorageState, context: FailoverContext): void {
  const stored: StoredStorage = { store: snapshotKvStore(storage.store), epoch: storage.epoch, epochHolder: storage.epochHolder, writes: storage.writes, lastWrite: storage.lastWrite };
  context.persist(STORAGE_KEY, stored);
}

/** A new primary's fence: durable before it is confirmed, so a restarted storage still refuses the old epoch. */
export function onFence(state: FailoverState, from: NodeId, epoch: number, context: FailoverContext): void {
  const storage = state.storage!;
  if (epoch > storage.epoch) {
    storage.epoch = epoch;
    storage.epochHolder = from;
    context.mark('fenced');
    persist(storage, context);
  }
  context.send(from, { type: 'fenced', epoch: storage.epoch });
}

/**
 * The fencing check: an operation of an epoch older than the newest fence is refused, so once a
 * new primary has fenced, nothing its deposed predecessor sends takes effect. An operation of a
 * newer epoch than any fence raises the epoch just as a fence does.
 */
export function onOp(state: FailoverState, from: NodeId, op: Op, context: FailoverContext): void {
  const storage = state.storage!;
  if (op.epoch < storage.epoch) {
    if (!state.options.unsafeNoFencing) {
      context.mark('fenced-off');
      context.send(from, { type: 'result', id: op.id, stale: true, epoch: storage.epoch });
      return;
    }
    context.mark('stale-op-accepted');
  }
  if (op.epoch > storage.epoch) {
    storage.epoch = op.epoch;
    storage.epochHolder = from;
  }
  if (!isKvWrite(op.operation)) {
    context.send(from, { type: 'result', id: op.id, stale: false, response: executeKvOperation(storage.store, op.operation), index: 0 });
    return;
  }
  const session = storage.store.sessions.get(op.clientId);
  const duplicate = session !== undefined && op.sequence <= session.sequence;
  const response = applyKvCommand(storage.store, { clientId: op.clientId, sequence: op.sequence, operation: op.operation });
  if (!duplicate) {
    storage.writes++;
    storage.lastWrite = { epoch: op.epoch, from };
  }
  persist(storage, context);
  context.send(from, { type: 'result', id: op.id, stale: false, response, index: duplicate ? 0 : storage.writes });
}
