import type { Observer } from '../../invariants/observer.js';
import type { Decision, Write } from './messages.js';
import { COORDINATOR, type TpcState } from './state.js';

const renderWrites = (writes: readonly Write[]) => (writes.length === 0 ? 'nothing' : writes.map((w) => `${w.account}${w.delta >= 0 ? '+' : ''}${w.delta}`).join(' '));

/**
 * - atomicity: no transaction is committed by one participant and aborted by another. The
 *   record lives here, so it survives the nodes' crashes. (The coordinator's own decision is not
 *   part of it: a commit it decided but crashed before making durable was never heard by anyone
 *   — the host holds sends and replies until the write syncs — and is rightly presumed aborted.)
 * - commit-applies-writes: a participant that commits a transaction applies exactly the writes
 *   the coordinator prepared at it (a participant that forgot its PREPARED cannot).
 * - balance-conserved (at the end, when every node is up and nothing is in doubt): the balances
 *   sum to 0, as every transfer moves money and none creates it.
 */
export function tpcObservers(): Observer<TpcState>[] {
  const decided = new Map<number, { decision: Decision; by: number }>();
  const preparedWrites = new Map<string, Write[]>(); // `${txn}@${node}` → writes sent there
  // How much of each state's outcome log each observer has checked (a restart brings a new state).
  const atomicityChecked = new WeakMap<TpcState, number>();
  const writesChecked = new WeakMap<TpcState, number>();

  const note = (txn: number, decision: Decision, node: number): string | undefined => {
    const known = decided.get(txn);
    if (known === undefined) decided.set(txn, { decision, by: node });
    else if (known.decision !== decision) return `t${txn} was ${known.decision === 'commit' ? 'committed' : 'aborted'} by n${known.by} and ${decision === 'commit' ? 'committed' : 'aborted'} by n${node}`;
    return undefined;
  };

  const atomicity: Observer<TpcState> = {
    name: 'atomicity',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return undefined;
      if (node === COORDINATOR) {
        for (const txn of state.txns.values()) {
          for (const [participant, writes] of txn.writes) if (!txn.read && writes.length > 0) preparedWrites.set(`${txn.id}@${participant}`, writes);
        }
        return undefined;
      }
      const log = state.outcomeLog;
      for (let i = atomicityChecked.get(state) ?? 0; i < log.length; i++) {
        const [txn, outcome] = log[i]!;
        const problem = note(txn, outcome.decision, node);
        if (problem !== undefined) return problem;
      }
      atomicityChecked.set(state, log.length);
      return undefined;
    },
  };

  const commitAppliesWrites: Observer<TpcState> = {
    name: 'commit-applies-writes',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined || node === COORDINATOR) return undefined;
      const log = state.outcomeLog;
      for (let i = writesChecked.get(state) ?? 0; i < log.length; i++) {
        const [txn, outcome] = log[i]!;
        if (outcome.decision !== 'commit') continue;
        const expected = preparedWrites.get(`${txn}@${node}`);
        if (expected !== undefined && renderWrites(expected) !== renderWrites(outcome.applied)) {
          return `n${node} committed t${txn} applying ${renderWrites(outcome.applied)}; the coordinator prepared ${renderWrites(expected)} there`;
        }
      }
      writesChecked.set(state, log.length);
      return undefined;
    },
  };

  const balanceConserved: Observer<TpcState> = {
    name: 'balance-conserved',
    kind: 'eventually',
    atEnd(view) {
      let sum = 0;
      for (const node of view.nodes) {
        const state = view.state(node);
        if (state === undefined || state.prepared.size > 0 || state.txns.size > 0) return undefined; // down or in doubt: nothing to conclude
        for (const balance of state.balances.values()) sum += balance;
      }
      return sum === 0 ? undefined : `the balances sum to ${sum} at the end; transfers only move money`;
    },
  };
  return [atomicity, commitAppliesWrites, balanceConserved];
}
