import type { ClusterView, Observer } from '../../invariants/observer.js';
import type { NodeId } from '../../protocol/effects.js';
import { raftObservers, type RaftState } from '../raft/index.js';
import { appliedConfig, isActingMaster } from './master.js';
import type { ChainConfig } from './messages.js';
import type { ChainOptions } from './options.js';
import { hashAt, initialConfig, masterNodes, replicaNodes, type ChainState } from './state.js';

/**
 * Chain replication's observers:
 * - replica-prefix-order (always; van Renesse & Schneider, OSDI 2004, §3, the Update Propagation
 *   Invariant: "for servers labeled i and j such that i ≤ j holds, Hist_j ⊑ Hist_i"): along the
 *   latest configuration any master node has applied (the one the master leader applied first),
 *   each member's applied sequence of updates is a prefix of its predecessor's. Members still
 *   waiting for their state, and nodes out of the chain, are not compared.
 * - master-config-monotonic (always; the "a configuration master (run on the project's own
 *   Raft, so its state survives crashes)"): the configuration an acting master of term T works
 *   from is never older than one an acting master of an earlier term announced to the replicas,
 *   across master leader changes and crashes. (A deposed leader that has not heard of the newer
 *   term may still believe it acts, with what it applied: it is compared with earlier terms only.)
 *
 * Raft's own observers (Election Safety, Log Matching, State Machine Safety, …) watch the master
 * nodes, through a view that shows them the Raft state inside each.
 */
export function chainObservers(options: ChainOptions): Observer<ChainState>[] {
  const masters = masterNodes(options);
  let latest: ChainConfig | undefined;
  let initial: ChainConfig | undefined;
  /** The latest configuration applied by any master node so far in the run. */
  const latestConfig = (view: ClusterView<ChainState>, node: NodeId): ChainConfig => {
    initial ??= initialConfig(replicaNodes(view.nodes, options));
    latest ??= initial;
    const master = node < masters.length ? view.state(node)?.master : undefined;
    if (master !== undefined && master !== null) {
      const config = appliedConfig(master.raft, initial);
      if (config.version > latest.version) latest = config;
    }
    return latest;
  };

  const prefixOrder: Observer<ChainState> = {
    name: 'replica-prefix-order',
    kind: 'always',
    afterStep(view, node) {
      const config = latestConfig(view, node);
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

  /** The highest version announced in each term (by its acting master), and by whom. */
  const announced = new Map<number, { version: number; node: NodeId }>();
  const monotonic: Observer<ChainState> = {
    name: 'master-config-monotonic',
    kind: 'always',
    afterStep(view, node) {
      if (node >= masters.length) return undefined;
      const master = view.state(node)?.master;
      if (master === undefined || master === null) return undefined;
      if (isActingMaster(master)) {
        const term = master.raft.currentTerm;
        const config = appliedConfig(master.raft, initial ?? initialConfig(replicaNodes(view.nodes, options)));
        for (const [earlier, record] of announced) {
          if (earlier < term && record.version > config.version) {
            return `n${node} acts as master in term ${term} with configuration v${config.version}, older than v${record.version}, which n${record.node} announced to the replicas in term ${earlier}`;
          }
        }
        const record = announced.get(term);
        if (master.announced > (record?.version ?? 0) && master.actingTerm === term) announced.set(term, { version: master.announced, node });
      }
      return undefined;
    },
  };

  return [prefixOrder, monotonic, ...raftOnMasters(masters)];
}

/** The first position (from the later of the two bases) where the two applied sequences differ. */
function firstDifference(a: NonNullable<ChainState['replica']>, b: NonNullable<ChainState['replica']>, through: number): number {
  for (let seq = Math.max(a.base, b.base); seq <= through; seq++) if (hashAt(a, seq) !== hashAt(b, seq)) return seq;
  return through;
}

/** Raft's observers, shown only the master nodes and only the steps where Raft itself stepped. */
function raftOnMasters(masters: NodeId[]): Observer<ChainState>[] {
  const raftView = (view: ClusterView<ChainState>): ClusterView<RaftState> => ({
    get now() {
      return view.now;
    },
    nodes: masters,
    state: (node) => view.state(node)?.master?.raft,
  });
  return raftObservers().map((observer) => ({
    name: observer.name,
    kind: observer.kind,
    afterStep: observer.afterStep === undefined ? undefined : (view, node) => (view.state(node)?.master?.raftStepped === true ? observer.afterStep!(raftView(view), node) : undefined),
    beforeCrash: observer.beforeCrash === undefined ? undefined : (view, node) => (masters.includes(node) ? observer.beforeCrash!(raftView(view), node) : undefined),
    atEnd: observer.atEnd === undefined ? undefined : (view) => observer.atEnd!(raftView(view)),
  }));
}
