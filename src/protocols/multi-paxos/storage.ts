import type { Json } from '../../history/operation.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { fail } from '../../util/assert.js';
import { restoreKvStore } from '../kv/store.js';
import type { PaxosContext } from './declarations.js';
import type { AcceptedProposal, Slot, Snapshot, Value } from './messages.js';
import type { PaxosState } from './state.js';

/**
 * The durable layout, one record per key:
 *   round            <number>                 the proposer's highest round, written before its prepare
 *   promise          <ballot>                 the acceptor's promise, written before the promise reply
 *   accepted/<slot>  {slot, ballot, value}    written before the accepted reply
 *   snapshot         {slot, data}             the state machine through `slot`; accepted records at or
 *                                              below it are deleted after it
 *   batch-end        true                     the last record of every batch (so a torn write lands
 *                                              on it, and a corrupt real record means a storage fault)
 */
export const ROUND_KEY = 'round';
export const PROMISE_KEY = 'promise';
export const SNAPSHOT_KEY = 'snapshot';
export const BATCH_END_KEY = 'batch-end';
const ACCEPTED_PREFIX = 'accepted/';

/**
 * Record keys by slot, built once per process: every slot's record is written and later deleted
 * on each node, and a string already built (and hashed) makes both a cheap map operation.
 * Strings are immutable, so sharing them across runs carries no state.
 */
const ACCEPTED_KEYS: string[] = [];
const ACCEPTED_KEYS_CACHED = 1 << 16;

export function acceptedKey(slot: Slot): string {
  if (slot >= 0 && slot < ACCEPTED_KEYS.length) return ACCEPTED_KEYS[slot] as string;
  if (slot >= ACCEPTED_KEYS_CACHED || slot < 0) return ACCEPTED_PREFIX + slot;
  while (ACCEPTED_KEYS.length <= slot) ACCEPTED_KEYS.push(ACCEPTED_PREFIX + ACCEPTED_KEYS.length);
  return ACCEPTED_KEYS[slot] as string;
}

function write(state: PaxosState, context: PaxosContext, key: string, value: Json | undefined): void {
  if (state.quarantined !== null) fail(`quarantined node ${state.id} writes ${key}`);
  context.persist(key, value);
  state.wroteThisStep = true;
}

export function persistRound(state: PaxosState, context: PaxosContext): void {
  // The planted bug keeps the round in memory only.
  if (state.options.unsafeVolatileRound) return;
  write(state, context, ROUND_KEY, state.round);
}

export function persistPromise(state: PaxosState, context: PaxosContext): void {
  if (state.options.unsafeForgetAcceptorState) return;
  write(state, context, PROMISE_KEY, state.promised);
}

export function persistAccepted(state: PaxosState, context: PaxosContext, proposal: AcceptedProposal): void {
  if (state.options.unsafeForgetAcceptorState) return;
  write(state, context, acceptedKey(proposal.slot), proposal as unknown as Json);
}

/** Writes the snapshot first, then deletes the accepted records it covers, lowest last. */
export function persistSnapshot(state: PaxosState, context: PaxosContext, snapshot: Snapshot, compacted: Slot[]): void {
  write(state, context, SNAPSHOT_KEY, snapshot as unknown as Json);
  for (const slot of compacted) if (!state.options.unsafeForgetAcceptorState) write(state, context, acceptedKey(slot), undefined);
}

export function endBatch(state: PaxosState, context: PaxosContext): void {
  if (!state.wroteThisStep) return;
  context.persist(BATCH_END_KEY, true);
  state.wroteThisStep = false;
}

/** What a restarting node rebuilds from its disk, or why it cannot be trusted. */
export type Recovered =
  | { kind: 'ok'; round: number; promised: number; accepted: AcceptedProposal[]; snapshot: Snapshot | null }
  | { kind: 'corrupt'; reason: string };

export function recover(disk: DurableReader): Recovered {
  const round = readNumber(disk, ROUND_KEY);
  const promised = readNumber(disk, PROMISE_KEY);
  if (typeof round === 'string') return { kind: 'corrupt', reason: round };
  if (typeof promised === 'string') return { kind: 'corrupt', reason: promised };
  const snapshot = readSnapshot(disk);
  if (typeof snapshot === 'string') return { kind: 'corrupt', reason: snapshot };
  const accepted: AcceptedProposal[] = [];
  for (const key of disk.keys()) {
    if (!key.startsWith(ACCEPTED_PREFIX)) continue;
    const record = disk.read(key);
    if (record.kind !== 'value' || !isAcceptedProposal(record.value)) return { kind: 'corrupt', reason: `${key} is corrupt` };
    accepted.push(record.value as unknown as AcceptedProposal);
  }
  accepted.sort((a, b) => a.slot - b.slot);
  return { kind: 'ok', round, promised, accepted, snapshot };
}

function readNumber(disk: DurableReader, key: string): number | string {
  const record = disk.read(key);
  if (record.kind === 'missing') return 0;
  if (record.kind === 'corrupt' || typeof record.value !== 'number') return `${key} record is corrupt`;
  return record.value;
}

function readSnapshot(disk: DurableReader): Snapshot | null | string {
  const record = disk.read(SNAPSHOT_KEY);
  if (record.kind === 'missing') return null;
  const value = record.kind === 'value' ? record.value : null;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof value.slot !== 'number') return 'snapshot record is corrupt';
  if (restoreKvStore(value.data as Json) === undefined) return 'snapshot record is malformed';
  return { slot: value.slot, data: value.data as Json };
}

function isAcceptedProposal(value: Json): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return typeof value.slot === 'number' && typeof value.ballot === 'number' && isValue(value.value as Json);
}

function isValue(value: Json): value is Value {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value.kind === 'noop' || value.kind === 'client');
}
