import type { ClientRequest } from '../../protocol/client-types.js';
import type { NodeId } from '../../protocol/effects.js';
import type { DurableReader } from '../../protocol/protocol.js';
import { fail } from '../../util/assert.js';
import type { TpcContext } from './declarations.js';
import type { Decision, TpcMessage, Write } from './messages.js';
import { COORDINATOR, ownerOf, TXNS_PER_EPOCH, type CoordinatorTxn, type TpcState } from './state.js';
import { millis } from '../../sim/time.js';

type Vote = Extract<TpcMessage, { type: 'vote' }>;

const EPOCH_KEY = 'epoch';
const decisionKey = (txn: number) => `decision/${txn}`;

/** A logged commit: enough to finish it after a restart. Aborts are never logged (presumed abort). */
type LoggedCommit = { participants: NodeId[] };

/** A new epoch on every start, so no transaction id is ever reused; logged commits are resumed. */
export function recoverCoordinator(state: TpcState, disk: DurableReader, context: TpcContext): void {
  const epoch = disk.read(EPOCH_KEY);
  if (epoch.kind === 'corrupt') fail('coordinator epoch is corrupt');
  state.epoch = (epoch.kind === 'value' ? (epoch.value as number) : 0) + 1;
  context.persist(EPOCH_KEY, state.epoch);
  for (const key of disk.keys()) {
    if (!key.startsWith('decision/')) continue;
    const record = disk.read(key);
    if (record.kind !== 'value') fail(`coordinator ${key} is ${record.kind}`);
    const { participants } = record.value as LoggedCommit;
    const id = Number(key.slice('decision/'.length));
    const writes = new Map<NodeId, Write[]>(participants.map((node) => [node, []]));
    state.txns.set(id, { id, requestId: -1, read: false, writes, votes: new Map(), startedAt: context.now, decision: 'commit', acked: new Set() });
  }
}

export function onCoordinatorRequest(state: TpcState, request: ClientRequest, context: TpcContext): void {
  const { f, value } = request.operation;
  let writes: Map<NodeId, Write[]>;
  if (f === 'read') {
    writes = new Map(context.nodes.filter((node) => node !== COORDINATOR).map((node) => [node, []]));
  } else if (f === 'transfer' && isTransfer(value)) {
    const [from, to, amount] = value;
    writes = new Map();
    for (const write of [{ account: from, delta: -amount }, { account: to, delta: amount }]) {
      const owner = ownerOf(write.account, state.nodeCount);
      writes.set(owner, [...(writes.get(owner) ?? []), write]);
    }
  } else {
    context.reply(request.requestId, { status: 'fail', error: `two-phase-commit serves transfer and read, not ${f}` });
    return;
  }
  if (state.nextInEpoch + 1 >= TXNS_PER_EPOCH) fail('transaction ids of this epoch are used up');
  const id = state.epoch * TXNS_PER_EPOCH + state.nextInEpoch++;
  const txn: CoordinatorTxn = { id, requestId: request.requestId, read: f === 'read', writes, votes: new Map(), startedAt: context.now, decision: undefined, acked: new Set() };
  state.txns.set(id, txn);
  for (const [node, nodeWrites] of writes) context.send(node, { type: 'prepare', txn: id, writes: nodeWrites, read: txn.read });
}

export function onVote(state: TpcState, from: NodeId, vote: Vote, context: TpcContext): void {
  const txn = state.txns.get(vote.txn);
  if (txn === undefined) {
    // Aborted (and forgotten) or from before a restart: presumed abort.
    if (vote.yes) context.send(from, { type: 'decision', txn: vote.txn, decision: 'abort' });
    return;
  }
  if (txn.decision !== undefined) {
    context.send(from, { type: 'decision', txn: txn.id, decision: txn.decision });
    return;
  }
  if (!vote.yes) return decide(state, txn, 'abort', context);
  txn.votes.set(from, vote.balances);
  if (txn.votes.size === txn.writes.size) decide(state, txn, 'commit', context);
}

export function onAck(state: TpcState, from: NodeId, txnId: number, context: TpcContext): void {
  const txn = state.txns.get(txnId);
  if (txn === undefined || txn.decision !== 'commit') return;
  txn.acked.add(from);
  if (txn.acked.size < txn.writes.size) return;
  state.txns.delete(txnId);
  context.persist(decisionKey(txnId), undefined);
}

export function onStatus(state: TpcState, from: NodeId, txnId: number, context: TpcContext): void {
  const txn = state.txns.get(txnId);
  if (txn?.decision !== undefined) context.send(from, { type: 'decision', txn: txnId, decision: txn.decision });
  if (txn !== undefined) return; // still collecting votes: the participant asks again
  context.mark('presumed-abort');
  context.send(from, { type: 'decision', txn: txnId, decision: 'abort' });
}

/** Coordinator tick: abort transactions whose votes are late, resend unacknowledged commits. */
export function onCoordinatorTick(state: TpcState, context: TpcContext): void {
  for (const txn of state.unloggedDecisions.splice(0)) logCommit(state, txn, context);
  for (const txn of [...state.txns.values()]) {
    if (txn.decision === undefined && context.now - txn.startedAt >= millis(state.options.prepareTimeoutMs)) {
      decide(state, txn, 'abort', context);
    } else if (txn.decision === 'commit') {
      for (const node of txn.writes.keys()) {
        if (txn.acked.has(node)) continue;
        context.mark('decision-resent');
        context.send(node, { type: 'decision', txn: txn.id, decision: 'commit' });
      }
    }
  }
}

function decide(state: TpcState, txn: CoordinatorTxn, decision: Decision, context: TpcContext): void {
  txn.decision = decision;
  if (decision === 'abort') {
    context.mark('txn-aborted');
    state.txns.delete(txn.id);
    for (const node of txn.writes.keys()) context.send(node, { type: 'decision', txn: txn.id, decision });
    if (txn.requestId >= 0) context.reply(txn.requestId, { status: 'fail', error: 'transaction aborted' });
    return;
  }
  context.mark('txn-committed');
  // The decision is durable before anyone hears it (the host holds sends until the write syncs).
  if (state.options.unsafeCommitBeforeLog) state.unloggedDecisions.push(txn.id);
  else logCommit(state, txn.id, context);
  for (const node of txn.writes.keys()) context.send(node, { type: 'decision', txn: txn.id, decision });
  const balances = txn.read ? mergeBalances(txn) : null;
  if (txn.requestId >= 0) context.reply(txn.requestId, { status: 'ok', value: balances });
}

function logCommit(state: TpcState, txnId: number, context: TpcContext): void {
  const txn = state.txns.get(txnId);
  if (txn === undefined) return; // all acknowledged already
  const logged: LoggedCommit = { participants: [...txn.writes.keys()] };
  context.persist(decisionKey(txnId), logged);
}

function mergeBalances(txn: CoordinatorTxn): Record<string, number> {
  const merged: [string, number][] = [];
  for (const balances of txn.votes.values()) merged.push(...Object.entries(balances ?? {}));
  return Object.fromEntries(merged.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function isTransfer(value: unknown): value is [string, string, number] {
  return Array.isArray(value) && value.length === 3 && typeof value[0] === 'string' && typeof value[1] === 'string' && value[0] !== value[1] && Number.isSafeInteger(value[2]);
}
