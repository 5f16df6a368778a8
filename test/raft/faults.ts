/**
 * Random fault schedules for the harness: a safety phase of arbitrary delivery order, loss,
 * duplication, partitions, pauses, crashes of a minority and disk corruption of one crashed
 * node, interleaved with client requests; then a liveness phase that heals everything.
 */
import type { NodeId } from '../../src/protocol/effects.js';
import { MICROS_PER_MS, MICROS_PER_SECOND, type Micros } from '../../src/sim/time.js';
import type { Cluster } from './adapter.js';

export type FaultAction =
  | { kind: 'deliver'; pick: number }
  | { kind: 'flush' }
  | { kind: 'drop'; pick: number }
  | { kind: 'duplicate'; pick: number }
  | { kind: 'timer' }
  | { kind: 'advance'; ms: number }
  | { kind: 'crash'; node: number }
  | { kind: 'restart'; node: number }
  | { kind: 'corrupt'; node: number; pick: number }
  | { kind: 'partition'; mask: number }
  | { kind: 'heal' }
  | { kind: 'pause'; node: number }
  | { kind: 'resume'; node: number }
  | { kind: 'write'; node: number; key: number; value: number }
  | { kind: 'read'; node: number; key: number };

const KEYS = ['x', 'y', 'z'];

/** Applies one action, skipping it when it would exceed the fault budget (a minority down). */
export function applyFault(cluster: Cluster, action: FaultAction, budget: { corrupted: Set<NodeId> }): void {
  const ids = cluster.ids;
  const nodeOf = (n: number): NodeId => ids[n % ids.length] as NodeId;
  const tolerated = Math.floor((ids.length - 1) / 2);
  const failed = (): number => ids.filter((id) => !cluster.isUp(id) || budget.corrupted.has(id)).length;
  switch (action.kind) {
    case 'deliver':
      if (cluster.network.length > 0) cluster.deliverAt(action.pick % cluster.network.length);
      return;
    case 'flush':
      cluster.deliver();
      return;
    case 'drop':
      if (cluster.network.length > 0) cluster.dropAt(action.pick % cluster.network.length);
      return;
    case 'duplicate':
      if (cluster.network.length > 0 && cluster.network.length < 500) cluster.duplicateAt(action.pick % cluster.network.length);
      return;
    case 'timer': {
      const next = cluster.nextTimer();
      if (next !== undefined) cluster.fire(next.id, next.name);
      return;
    }
    case 'advance':
      cluster.advance(action.ms * MICROS_PER_MS);
      return;
    case 'crash': {
      const node = nodeOf(action.node);
      if (cluster.isUp(node) && (budget.corrupted.has(node) || failed() < tolerated)) cluster.crash(node);
      return;
    }
    case 'restart': {
      const node = nodeOf(action.node);
      if (!cluster.isUp(node)) cluster.restart(node);
      return;
    }
    case 'corrupt': {
      // Storage faults hit one node at most (it may stay quarantined: it counts as failed).
      const node = nodeOf(action.node);
      if (cluster.isUp(node) || (budget.corrupted.size > 0 && !budget.corrupted.has(node))) return;
      const keys = cluster.node(node).disk.keys();
      if (keys.length === 0) return;
      if (!budget.corrupted.has(node) && failed() > tolerated) return;
      budget.corrupted.add(node);
      cluster.corrupt(node, keys[action.pick % keys.length] as string);
      return;
    }
    case 'partition': {
      const side = ids.filter((_, i) => ((action.mask >> i) & 1) === 1);
      const other = ids.filter((_, i) => ((action.mask >> i) & 1) === 0);
      if (side.length > 0 && other.length > 0) cluster.partition([side, other]);
      return;
    }
    case 'heal':
      cluster.heal();
      return;
    case 'pause': {
      const node = cluster.node(nodeOf(action.node));
      if (node.state !== undefined) node.paused = true;
      return;
    }
    case 'resume':
      cluster.node(nodeOf(action.node)).paused = false;
      return;
    case 'write': {
      // Half the writes go to a node that believes it leads, as a client following hints would.
      const leader = cluster.leaders()[0];
      const node = action.node % 2 === 0 && leader !== undefined ? leader : nodeOf(action.node);
      if (cluster.isUp(node) && !cluster.node(node).paused) {
        cluster.request(node, 'append', KEYS[action.key % KEYS.length] as string, `${action.value},`, 1 + (action.value % 4));
      }
      return;
    }
    case 'read': {
      const node = nodeOf(action.node);
      if (cluster.isUp(node) && !cluster.node(node).paused) cluster.request(node, 'read', KEYS[action.key % KEYS.length] as string, null, 10);
      return;
    }
  }
}

/**
 * Heals the network, resumes and restarts every node, then runs with prompt delivery until the
 * bound: returns a description of what did not converge, or undefined.
 */
export function runLivenessPhase(cluster: Cluster, boundMicros: Micros = 10 * MICROS_PER_SECOND): string | undefined {
  cluster.heal();
  for (const id of cluster.ids) {
    cluster.node(id).paused = false;
    if (!cluster.isUp(id)) cluster.restart(id);
  }
  const deadline = cluster.now + boundMicros;
  let probe: number | undefined;
  while (cluster.now < deadline) {
    cluster.stabilize();
    const leaders = cluster.leaders();
    if (probe === undefined && leaders.length === 1 && cluster.pending.size === 0) {
      probe = cluster.request(leaders[0] as NodeId, 'write', 'liveness', 'done', 99);
      cluster.stabilize();
    }
    if (probe !== undefined && !cluster.pending.has(probe)) {
      const reply = cluster.replies.find((r) => r.requestId === probe);
      if (reply?.response.status === 'ok') return undefined;
      probe = undefined;
    }
    const next = cluster.nextTimer();
    if (next === undefined) return 'no timer armed: the cluster is stuck';
    cluster.fire(next.id, next.name);
  }
  const pending = [...cluster.pending.entries()].map(([request, node]) => `#${request}@${node}`).join(' ');
  return `no committed write within the bound (leaders: ${cluster.leaders().join(',') || 'none'}; pending: ${pending || 'none'})`;
}
