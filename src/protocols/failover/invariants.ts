import type { Meter } from '../../invariants/meter.js';
import type { Observer } from '../../invariants/observer.js';
import type { NodeId } from '../../protocol/effects.js';
import { type Micros, toMillis } from '../../sim/time.js';
import { MANAGER, STORAGE, type FailoverState, type ManagerState, type StorageState } from './state.js';

/**
 * - no-split-brain: "at most one primary's writes are accepted per epoch". The storage's
 *   accepted writes, in the order it accepted them, carry non-decreasing epochs, none older than
 *   the epoch of a primary the storage has confirmed a fence to (it took over), each epoch's
 *   writes come from one node, and that node is the one the manager promoted for it. Fencing
 *   (Kleppmann 2016: the storage "remembers that it has already processed a write with a higher
 *   token number, and so it rejects the request") is what makes it hold when a paused primary
 *   wakes up after the failover.
 * - acknowledged-writes-durable: "every acknowledged write survives failover". No write a
 *   primary acknowledged (the storage told it its position) is missing from the storage,
 *   whatever crashed since: the storage persists before it answers.
 */
export function failoverObservers(): Observer<FailoverState>[] {
  const promoted = new Map<number, NodeId>(); // epoch → the server the manager promoted
  const writerOf = new Map<number, NodeId>();
  let highestWriteEpoch = 0;
  const checkedWrites = new WeakMap<StorageState, number>();
  let highestAcked = 0;

  const noSplitBrain: Observer<FailoverState> = {
    name: 'no-split-brain',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return undefined;
      if (node === MANAGER) {
        const manager = state.manager!;
        if (manager.primary !== null && !promoted.has(manager.epoch)) promoted.set(manager.epoch, manager.primary);
        const known = promoted.get(manager.epoch);
        if (known !== undefined && manager.primary !== null && known !== manager.primary) return `the manager promoted both n${known} and n${manager.primary} for epoch ${manager.epoch}`;
        return undefined;
      }
      // A primary told its fence is durable has taken over: its epoch has begun at the storage.
      if (state.server !== null && state.role === 'primary' && state.server.fenced && state.server.epoch > highestWriteEpoch) highestWriteEpoch = state.server.epoch;
      if (node !== STORAGE) return undefined;
      const storage = state.storage!;
      const checked = checkedWrites.get(storage);
      checkedWrites.set(storage, storage.writes);
      const begun = highestWriteEpoch;
      // A restarted storage starts from what it had on disk: only writes accepted since are new.
      if (checked === undefined || storage.writes === checked || storage.lastWrite === null) return undefined;
      const { epoch, from } = storage.lastWrite;
      if (epoch < begun) return `n${STORAGE} accepted write ${storage.writes} from n${from} of epoch ${epoch} after epoch ${begun} had begun there: the deposed primary wrote after the new one took over`;
      highestWriteEpoch = epoch;
      const writer = writerOf.get(epoch);
      if (writer !== undefined && writer !== from) return `n${STORAGE} accepted writes of epoch ${epoch} from two primaries, n${writer} and n${from}`;
      writerOf.set(epoch, from);
      const chosen = promoted.get(epoch);
      if (chosen !== undefined && chosen !== from) return `n${STORAGE} accepted a write of epoch ${epoch} from n${from}; the manager promoted n${chosen} for it`;
      return undefined;
    },
  };

  const acknowledgedDurable: Observer<FailoverState> = {
    name: 'acknowledged-writes-durable',
    kind: 'always',
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return undefined;
      if (state.server !== null && state.server.highestAcked > highestAcked) highestAcked = state.server.highestAcked;
      const storage = view.state(STORAGE)?.storage;
      if (storage === undefined || storage === null || storage.writes >= highestAcked) return undefined;
      return `n${STORAGE} holds ${storage.writes} writes, but write ${highestAcked} was acknowledged to a client`;
    },
  };
  return [noSplitBrain, acknowledgedDurable];
}

/**
 * The failover measures (the world tells the meter when nodes crash and pause; the protocol
 * never knows):
 * - detection-ms: from the primary going silent (crashed or paused) to the manager suspecting it;
 * - false-suspicions-per-hour: suspicions of a primary that had not crashed (it was running, its
 *   heartbeats late or lost, or paused and about to resume), per hour of simulated time;
 * - unavailability-ms: per failover, from the old primary going silent (or, when it never did,
 *   from the suspicion) until the storage holds the new primary's fence, when it can serve.
 */
export function failoverMeter(): Meter<FailoverState> {
  const silent = new Map<NodeId, { since: Micros; kind: 'crash' | 'pause' }>();
  const seenSuspicions = new WeakMap<ManagerState, number>();
  const detection: number[] = [];
  const unavailability: number[] = [];
  let falseSuspicions = 0;
  let outage: { start: Micros; epoch: number } | null = null;
  return {
    measures: {
      'detection-ms': { unit: 'ms', doc: 'from the primary crashing or pausing to the manager suspecting it' },
      'false-suspicions-per-hour': { unit: 'per-hour', doc: 'suspicions of a primary that had not crashed, per simulated hour' },
      'unavailability-ms': { unit: 'ms', doc: 'per failover: from the old primary going silent (or the suspicion) to the new primary fencing the storage' },
    },
    onNodeEvent(view, node, event) {
      if (event === 'restart' || event === 'resume') silent.delete(node);
      else if (event === 'crash') silent.set(node, { since: silent.get(node)?.since ?? view.now, kind: 'crash' });
      else if (!silent.has(node)) silent.set(node, { since: view.now, kind: 'pause' });
    },
    afterStep(view, node) {
      const state = view.state(node);
      if (state === undefined) return;
      if (node === MANAGER) {
        const manager = state.manager!;
        const before = seenSuspicions.get(manager) ?? 0;
        seenSuspicions.set(manager, manager.suspicions);
        if (manager.suspicions === before || manager.lastSuspected === null) return;
        const quiet = silent.get(manager.lastSuspected);
        if (quiet !== undefined) detection.push(toMillis(view.now - quiet.since));
        if (quiet?.kind !== 'crash') falseSuspicions++;
        outage = { start: Math.min(outage?.start ?? Infinity, quiet?.since ?? view.now), epoch: manager.epoch };
      } else if (node === STORAGE && outage !== null && state.storage!.epoch >= outage.epoch) {
        unavailability.push(toMillis(view.now - outage.start));
        outage = null;
      }
    },
    atEnd(view) {
      const hours = view.now / 3_600_000_000;
      return { 'detection-ms': detection, 'false-suspicions-per-hour': [hours > 0 ? Math.round((falseSuspicions / hours) * 10) / 10 : 0], 'unavailability-ms': unavailability };
    },
  };
}
