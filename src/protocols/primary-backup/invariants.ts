import type { Observer } from '../../invariants/observer.js';
import type { Entry } from './messages.js';
import { isPrimary, type PbState } from './state.js';

function entryId(entry: Entry): string {
  return `${entry.view}:${entry.command.clientId}:${entry.command.sequence}`;
}

/**
 * - committed-prefix-agreement: no two nodes ever commit different entries at one position, even
 *   across crashes and restarts (the record of what was committed lives here, not on a node);
 * - primary-holds-committed: the primary of the newest view holds every entry committed so far.
 *   (A restarted primary of an old view may lag; it can commit nothing, since every node that
 *   moved on ignores its view, and it learns the new view from the next heartbeat.)
 *
 * Both are incremental: a log array that was already verified up to some position is not read
 * again below it. A replaced log (a new array) or a restarted node (a new state) starts over.
 */
export function primaryBackupObservers(): Observer<PbState>[] {
  const committed: string[] = [];
  let newestView = 0;
  const verifiedCommit = new WeakMap<Entry[], number>();
  const verifiedPrimary = new WeakMap<Entry[], number>();

  const agreement: Observer<PbState> = {
    name: 'committed-prefix-agreement',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return undefined;
      const from = Math.min(verifiedCommit.get(state.log) ?? 0, state.commit);
      for (let position = from; position < state.commit; position++) {
        const id = entryId(state.log[position] as Entry);
        const known = committed[position];
        if (known === undefined) committed[position] = id;
        else if (known !== id) return `n${node} committed ${id} at position ${position}, where ${known} was committed before`;
      }
      verifiedCommit.set(state.log, state.commit);
      return undefined;
    },
  };

  const primaryHoldsCommitted: Observer<PbState> = {
    name: 'primary-holds-committed',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined || !isPrimary(state) || state.view < newestView) return undefined;
      newestView = state.view;
      if (state.log.length < committed.length) return `primary n${node} of view ${state.view} has ${state.log.length} entries; ${committed.length} were committed`;
      for (let position = verifiedPrimary.get(state.log) ?? 0; position < committed.length; position++) {
        if (entryId(state.log[position] as Entry) !== committed[position]) {
          return `primary n${node} of view ${state.view} holds ${entryId(state.log[position] as Entry)} at committed position ${position} (${committed[position]})`;
        }
      }
      verifiedPrimary.set(state.log, committed.length);
      return undefined;
    },
  };
  return [agreement, primaryHoldsCommitted];
}
