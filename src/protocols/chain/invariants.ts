import type { Observer } from '../../invariants/observer.js';
import { hashAt, MASTER, type ChainState } from './state.js';

/**
 * replica-prefix-order (van Renesse & Schneider, OSDI 2004, §3, the Update Propagation
 * Invariant: "for servers labeled i and j such that i ≤ j holds, Hist_j ⊑ Hist_i"): along the
 * master's chain, each member's applied sequence of updates is a prefix of its predecessor's.
 * Members still waiting for their state, and nodes out of the chain, are not compared.
 */
export function chainObservers(): Observer<ChainState>[] {
  const prefixOrder: Observer<ChainState> = {
    name: 'replica-prefix-order',
    kind: 'always',
    afterStep(view) {
      const config = view.state(MASTER)?.master?.config;
      if (config === undefined) return undefined;
      let previous: { id: number; state: ChainState } | undefined;
      for (const id of config.chain) {
        const state = view.state(id);
        const replica = state?.replica;
        if (state === undefined || replica === null || replica === undefined || !replica.hasState || replica.joined !== config.since[String(id)]) {
          previous = undefined;
          continue;
        }
        if (previous !== undefined) {
          const before = previous.state.replica!;
          if (replica.lastSeq > before.lastSeq) return `n${id} applied updates through #${replica.lastSeq}, beyond its predecessor n${previous.id} (through #${before.lastSeq})`;
          const mine = hashAt(replica, replica.lastSeq);
          const theirs = hashAt(before, replica.lastSeq);
          if (mine !== undefined && theirs !== undefined && mine !== theirs) {
            return `n${id}'s applied updates through #${replica.lastSeq} are not a prefix of its predecessor n${previous.id}'s (they differ at or before #${firstDifference(replica, before, replica.lastSeq)})`;
          }
        }
        previous = { id, state };
      }
      return undefined;
    },
  };
  return [prefixOrder];
}

/** The first position (from the later of the two bases) where the two applied sequences differ. */
function firstDifference(a: NonNullable<ChainState['replica']>, b: NonNullable<ChainState['replica']>, through: number): number {
  for (let seq = Math.max(a.base, b.base); seq <= through; seq++) if (hashAt(a, seq) !== hashAt(b, seq)) return seq;
  return through;
}
