import type { ClusterView, Observer } from '../../invariants/observer.js';
import type { NodeId } from '../../protocol/effects.js';
import { raftObservers, type RaftState } from '../raft/index.js';
import type { LockOptions } from './options.js';
import { RESOURCE, serverNodes, type LockState, type ResourceState } from './state.js';

/**
 * The lock service's properties, judged where it matters: at the resource, as the resource saw
 * the clients' accesses (a lock only matters through what it guards).
 *
 * - no-stale-write (always): "no write with a stale token accepted". Every write the resource
 *   accepted carries a fencing token at least as high as every token it had accepted before on
 *   that key. Kleppmann (2016): the storage "remembers that it has already processed a write with
 *   a higher token number, and so it rejects the request"; Chubby's sequencers (OSDI 2006 §2.4)
 *   are the same idea. A client paused past its lease breaks it unless the resource checks.
 * - sections-in-token-order (always): "holders' critical sections never overlap in token order".
 *   The accesses of critical sections (locked reads and writes) the resource accepted, in the
 *   order it accepted them, run holder by holder in increasing token order: none belongs to a
 *   holder whose successor had already been seen. This covers a stale read as well as a write.
 * - lock-granted-after-heal (eventually): "every lock eventually granted after heal". A client
 *   that was waiting for a lock when the liveness phase began is granted it (or stops waiting on
 *   that entry, its session having expired) before the phase ends.
 *
 * Raft's own observers (Election Safety, Log Matching, State Machine Safety, …) watch the lock
 * servers, through a view that shows them the Raft state inside each server.
 */
export function lockObservers(options: LockOptions): Observer<LockState>[] {
  const highestWritten = new Map<string, number>();
  const highestSection = new Map<string, number>();
  const checkedWrites = new WeakMap<ResourceState, number>();
  const checkedSections = new WeakMap<ResourceState, number>();

  /** The access the resource accepted in this step, if it accepted one (a restart accepts nothing). */
  const newAccess = (view: ClusterView<LockState>, node: NodeId, checked: WeakMap<ResourceState, number>) => {
    if (node !== RESOURCE) return undefined;
    const resource = view.state(node)?.resource;
    if (resource === undefined || resource === null) return undefined;
    const before = checked.get(resource);
    checked.set(resource, resource.accepted);
    if (before === undefined || before === resource.accepted || resource.lastAccess === null) return undefined;
    return resource.lastAccess;
  };

  const noStaleWrite: Observer<LockState> = {
    name: 'no-stale-write',
    kind: 'always',
    afterStep(view, node) {
      const access = newAccess(view, node, checkedWrites);
      if (access === undefined) return undefined;
      const highest = highestWritten.get(access.key) ?? 0;
      if (access.token > highest) highestWritten.set(access.key, access.token);
      if (access.kind !== 'write' || access.token >= highest) return undefined;
      return `n${RESOURCE} accepted a write to ${access.key} from n${access.from} with fencing token ${access.token} after it had accepted token ${highest}: a holder whose lease had expired wrote after the next holder`;
    },
  };

  const sectionsInOrder: Observer<LockState> = {
    name: 'sections-in-token-order',
    kind: 'always',
    afterStep(view, node) {
      const access = newAccess(view, node, checkedSections);
      if (access === undefined) return undefined;
      const highest = highestSection.get(access.key) ?? 0;
      if (access.token >= highest) {
        highestSection.set(access.key, access.token);
        return undefined;
      }
      return `n${RESOURCE} accepted a ${access.kind} of ${access.key} from n${access.from} with fencing token ${access.token} after the critical section of token ${highest} had begun there: two holders' critical sections overlap`;
    },
  };

  let baseline: Map<NodeId, string> | undefined;
  const grantedAfterHeal: Observer<LockState> = {
    name: 'lock-granted-after-heal',
    kind: 'eventually',
    atEnd(view) {
      // First called as the liveness phase begins: who is waiting then must be granted by its end.
      const waitingNow = new Map<NodeId, string>();
      for (const node of view.nodes) {
        const client = view.state(node)?.client;
        if (client === undefined || client === null || client.current === null || client.current.seq === null) continue;
        if (client.phase === 'waiting' || client.phase === 'checking') waitingNow.set(node, `${client.current.lock}#${client.current.seq}`);
      }
      if (baseline === undefined) baseline = waitingNow;
      for (const [node, entry] of baseline) {
        if (waitingNow.get(node) === entry) return `n${node} has been waiting for the lock since the heal (entry ${entry}) and was never granted it`;
      }
      return undefined;
    },
  };

  return [noStaleWrite, sectionsInOrder, grantedAfterHeal, ...raftOnServers(options)];
}

/** Raft's observers, shown only the lock servers and only the steps where Raft itself stepped. */
function raftOnServers(options: LockOptions): Observer<LockState>[] {
  const servers = serverNodes(options);
  const raftView = (view: ClusterView<LockState>): ClusterView<RaftState> => ({
    get now() {
      return view.now;
    },
    nodes: servers,
    state: (node) => view.state(node)?.server?.raft,
  });
  return raftObservers().map((observer) => ({
    name: observer.name,
    kind: observer.kind,
    afterStep: observer.afterStep === undefined ? undefined : (view, node) => (view.state(node)?.server?.raftStepped === true ? observer.afterStep!(raftView(view), node) : undefined),
    beforeCrash: observer.beforeCrash === undefined ? undefined : (view, node) => (servers.includes(node) ? observer.beforeCrash!(raftView(view), node) : undefined),
    atEnd: observer.atEnd === undefined ? undefined : (view) => observer.atEnd!(raftView(view)),
  }));
}
