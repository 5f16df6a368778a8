import type { DurableReader } from '../../protocol/protocol.js';
import { fail } from '../../util/assert.js';
import type { TpcContext } from './declarations.js';
import type { Decision, TpcMessage, Write } from './messages.js';
import { ALL_ACCOUNTS_LOCK, COORDINATOR, type Outcome, type TpcState } from './state.js';
import { millis } from '../../sim/time.js';

type Prepare = Extract<TpcMessage, { type: 'prepare' }>;

const STATE_KEY = 'participant';
const preparedKey = (txn: number) => `prepared/${txn}`;

type StoredParticipant = {
  balances: [string, number][];
  outcomes: [number, Outcome][];
};

/** Restores balances, outcomes and prepared transactions (with their locks) from the disk. */
export function recoverParticipant(state: TpcState, disk: DurableReader, context: TpcContext): void {
  const stored = disk.read(STATE_KEY);
  if (stored.kind === 'corrupt') fail(`n${state.id}: participant state is corrupt`);
  if (stored.kind === 'value') {
    const value = stored.value as StoredParticipant;
    state.balances = new Map(value.balances);
    state.outcomes = new Map(value.outcomes);
    state.outcomeLog = [...value.outcomes];
  }
  for (const key of disk.keys()) {
    if (!key.startsWith('prepared/')) continue;
    const record = disk.read(key);
    if (record.kind !== 'value') fail(`n${state.id}: ${key} is ${record.kind}`);
    const txn = Number(key.slice('prepared/'.length));
    const { writes, read } = record.value as { writes: Write[]; read: boolean };
    state.prepared.set(txn, { writes, read, since: context.now });
    lockFor(state, txn, writes, read);
    context.mark('prepared-recovered');
  }
}

export function onPrepare(state: TpcState, message: Prepare, context: TpcContext): void {
  const known = state.outcomes.get(message.txn);
  if (known !== undefined) return vote(state, message.txn, known.decision === 'commit', message.read, context);
  if (state.prepared.has(message.txn)) return vote(state, message.txn, true, message.read, context);
  if (!canLock(state, message.writes, message.read)) {
    context.mark('vote-no-conflict');
    return vote(state, message.txn, false, false, context);
  }
  lockFor(state, message.txn, message.writes, message.read);
  state.prepared.set(message.txn, { writes: message.writes, read: message.read, since: context.now });
  // Durable PREPARED before the yes vote: the host releases the vote only once the write is synced.
  if (!state.options.unsafeVoteBeforeLog) context.persist(preparedKey(message.txn), { writes: message.writes, read: message.read });
  vote(state, message.txn, true, message.read, context);
}

export function onDecision(state: TpcState, txn: number, decision: Decision, context: TpcContext): void {
  const prepared = state.prepared.get(txn);
  if (prepared === undefined) {
    if (!state.outcomes.has(txn)) {
      // Only a yes vote leads to a commit, and a yes vote follows a durable PREPARED: a commit
      // for a transaction with no record means the record was never written.
      if (decision === 'commit' && !state.options.unsafeVoteBeforeLog) fail(`n${state.id} got commit of t${txn} with no record of it`);
      recordOutcome(state, txn, { decision, applied: [] }, context);
    }
    context.send(COORDINATOR, { type: 'ack', txn });
    return;
  }
  if (decision === 'commit') for (const write of prepared.writes) state.balances.set(write.account, (state.balances.get(write.account) ?? 0) + write.delta);
  finish(state, txn, { decision, applied: decision === 'commit' ? prepared.writes : [] }, context);
  context.send(COORDINATOR, { type: 'ack', txn });
}

/** Participant tick: ask about transactions in doubt (or, with the planted bug, give up on them). */
export function onParticipantTick(state: TpcState, context: TpcContext): void {
  for (const [txn, prepared] of state.prepared) {
    const waited = context.now - prepared.since;
    if (state.options.unsafeAbortWhenPrepared && waited >= millis(state.options.prepareTimeoutMs)) {
      finish(state, txn, { decision: 'abort', applied: [] }, context);
      continue;
    }
    if (waited >= millis(state.options.retryMs)) {
      context.mark('in-doubt-asked');
      context.send(COORDINATOR, { type: 'status', txn });
    }
  }
}

function finish(state: TpcState, txn: number, outcome: Outcome, context: TpcContext): void {
  const prepared = state.prepared.get(txn);
  if (prepared !== undefined) {
    for (const [account, holder] of [...state.locks]) if (holder === txn) state.locks.delete(account);
    state.prepared.delete(txn);
  }
  recordOutcome(state, txn, outcome, context);
  context.persist(preparedKey(txn), undefined);
}

function recordOutcome(state: TpcState, txn: number, outcome: Outcome, context: TpcContext): void {
  state.outcomes.set(txn, outcome);
  state.outcomeLog.push([txn, outcome]);
  // A copy: what is persisted is frozen (src/protocol/hand-over.ts), and the log keeps growing.
  const stored: StoredParticipant = { balances: [...state.balances].sort(), outcomes: state.outcomeLog.slice() };
  context.persist(STATE_KEY, stored);
}

function vote(state: TpcState, txn: number, yes: boolean, read: boolean, context: TpcContext): void {
  const balances = yes && read ? Object.fromEntries([...state.balances].filter(([, balance]) => balance !== 0).sort()) : null;
  context.send(COORDINATOR, { type: 'vote', txn, yes, balances });
}

function canLock(state: TpcState, writes: readonly Write[], read: boolean): boolean {
  if (state.locks.has(ALL_ACCOUNTS_LOCK)) return false;
  if (read) return state.locks.size === 0;
  return writes.every((write) => !state.locks.has(write.account));
}

function lockFor(state: TpcState, txn: number, writes: readonly Write[], read: boolean): void {
  if (read) state.locks.set(ALL_ACCOUNTS_LOCK, txn);
  for (const write of writes) state.locks.set(write.account, txn);
}

