import { describe, expect, it } from 'vitest';
import type { ClusterView } from '../../src/invariants/observer.js';
import type { NodeId } from '../../src/protocol/effects.js';
import { raftObservers } from '../../src/protocols/raft/invariants.js';
import type { LogEntry } from '../../src/protocols/raft/messages.js';
import { DEFAULT_RAFT_OPTIONS } from '../../src/protocols/raft/options.js';
import { createRaftState, noteLogChange, type RaftState } from '../../src/protocols/raft/state.js';

/**
 * Raft's observers on hand-built node states: each state is what a node might hold after a
 * step, and `step` runs every `always` observer as the world does after that node's step.
 */
class Cluster implements ClusterView<RaftState> {
  readonly now = 0;
  readonly nodes: NodeId[] = [0, 1, 2];
  readonly states = this.nodes.map((id) => createRaftState(id, this.nodes, { ...DEFAULT_RAFT_OPTIONS }));
  private readonly observers = raftObservers().filter((observer) => observer.kind === 'always');

  state(node: NodeId): RaftState | undefined {
    return this.states[node];
  }

  /** Appends entries (index, term, client) to a node's log, as one step; returns the violations. */
  append(node: NodeId, ...entries: [index: number, term: number, client: number][]): string[] {
    const state = this.states[node]!;
    state.step = { applied: [], logChangedFrom: Infinity, installedSnapshot: null };
    for (const [index, term, client] of entries) {
      state.log.append(entry(index, term, client));
      state.currentTerm = Math.max(state.currentTerm, term);
      noteLogChange(state, index);
    }
    return this.step(node);
  }

  step(node: NodeId): string[] {
    const violations: string[] = [];
    for (const observer of this.observers) {
      const problem = observer.afterStep?.(this, node);
      if (problem !== undefined) violations.push(`${observer.name}: ${problem}`);
    }
    return violations;
  }
}

function entry(index: number, term: number, client: number): LogEntry {
  return { index, term, command: { kind: 'client', clientId: client, sequence: index, operation: { f: 'write', key: 'k', value: `v${index}` } } };
}

describe("Raft's observers", () => {
  it('accept logs that agree wherever they share an (index, term)', () => {
    const cluster = new Cluster();
    expect(cluster.append(0, [1, 1, 7], [2, 1, 7])).toEqual([]);
    expect(cluster.append(1, [1, 1, 7])).toEqual([]);
    // A different term at index 2 is a divergence Raft allows (it will be truncated), not a violation.
    expect(cluster.append(1, [2, 2, 8])).toEqual([]);
    expect(cluster.append(2, [1, 1, 7], [2, 2, 8], [3, 2, 8])).toEqual([]);
  });

  it('Log Matching: the same (index, term) with a different command', () => {
    const cluster = new Cluster();
    cluster.append(0, [1, 1, 7]);
    expect(cluster.append(1, [1, 1, 9])).toEqual(['Log Matching: node 1 has 1@1 c9#1 write k "v1", elsewhere 1@1 holds c7#1']);
  });

  it('Log Matching: the same (index, term) after a different previous term', () => {
    const cluster = new Cluster();
    cluster.append(0, [1, 1, 7], [2, 3, 7]);
    expect(cluster.append(1, [1, 2, 7], [2, 3, 7])).toEqual(['Log Matching: node 1 has 2@3 after term 2, elsewhere after term 1']);
  });

  it('Log Matching: a second term at an index is remembered and checked too', () => {
    const cluster = new Cluster();
    cluster.append(0, [1, 1, 7], [2, 1, 7]);
    expect(cluster.append(1, [1, 1, 7], [2, 2, 8])).toEqual([]);
    expect(cluster.append(2, [1, 1, 7], [2, 2, 9])).toEqual(['Log Matching: node 2 has 2@2 c9#2 write k "v2", elsewhere 2@2 holds c8#2']);
  });

  it('Election Safety: two leaders of one term', () => {
    const cluster = new Cluster();
    for (const node of [0, 1]) {
      const state = cluster.states[node]!;
      state.currentTerm = 3;
      state.role = 'leader';
    }
    expect(cluster.step(0)).toEqual([]);
    expect(cluster.step(1)).toEqual(['Election Safety: nodes 0 and 1 are both leaders of term 3']);
  });
});
