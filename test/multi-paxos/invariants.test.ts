import { describe, expect, it } from 'vitest';
import type { ClusterView } from '../../src/invariants/observer.js';
import type { NodeId } from '../../src/protocol/effects.js';
import { makeBallot } from '../../src/protocols/multi-paxos/ballot.js';
import { paxosObservers } from '../../src/protocols/multi-paxos/invariants.js';
import type { Value } from '../../src/protocols/multi-paxos/messages.js';
import { DEFAULT_PAXOS_OPTIONS } from '../../src/protocols/multi-paxos/options.js';
import { createPaxosState, type PaxosState } from '../../src/protocols/multi-paxos/state.js';

/**
 * Multi-Paxos's observers on hand-built node states: each change below is what a node might do
 * in one step, and `step` runs every `always` observer as the world does after that step.
 */
class Cluster implements ClusterView<PaxosState> {
  readonly now = 0;
  readonly nodes: NodeId[] = [0, 1, 2];
  states: (PaxosState | undefined)[] = this.nodes.map((id) => createPaxosState(id, this.nodes, { ...DEFAULT_PAXOS_OPTIONS }));
  private readonly observers = paxosObservers().filter((observer) => observer.kind === 'always');

  state(node: NodeId): PaxosState | undefined {
    return this.states[node];
  }

  /** Runs `change` on a node's state with a fresh step record, then every observer. */
  step(node: NodeId, change: (state: PaxosState) => void): string[] {
    const state = this.states[node]!;
    state.step = { accepted: [], proposed: [], applied: [], startedBallot: 0, installedSnapshot: 0, heard: [], preparesReceived: [], clientCommands: [] };
    change(state);
    const violations: string[] = [];
    for (const observer of this.observers) {
      const problem = observer.afterStep?.(this, node);
      if (problem !== undefined) violations.push(`${observer.name}: ${problem}`);
    }
    return violations;
  }

  /** A crash and a restart from nothing (what a node that persisted nothing comes back with). */
  restart(node: NodeId): string[] {
    for (const observer of this.observers) observer.beforeCrash?.(this, node);
    this.states[node] = createPaxosState(node, this.nodes, { ...DEFAULT_PAXOS_OPTIONS });
    return this.step(node, () => {});
  }

  accept(node: NodeId, slot: number, ballot: number, value: Value): string[] {
    return this.step(node, (state) => {
      state.promised = Math.max(state.promised, ballot);
      state.step.accepted.push({ slot, ballot, value });
    });
  }
}

const write = (client: number, sequence: number): Value => ({ kind: 'client', clientId: client, sequence, operation: { f: 'write', key: 'x', value: String(sequence) } });
const b1 = makeBallot(1, 0);
const b2 = makeBallot(2, 1);

describe('Multi-Paxos invariants on hand-built states', () => {
  it('Agreement: a second value accepted by a majority in another ballot of the same slot', () => {
    const cluster = new Cluster();
    // A majority {0, 1} accepts c1#1 in slot 1 at ballot 1.0: it is chosen, though no client sent it.
    expect(cluster.accept(0, 1, b1, write(1, 1))).toEqual([]);
    expect(cluster.accept(1, 1, b1, write(1, 1))).toEqual(['Validity: slot 1: c1#1 was chosen, but no client sent it']);
    const cluster2 = new Cluster();
    cluster2.step(0, (state) => state.step.clientCommands.push({ clientId: 1, sequence: 1, operation: { f: 'write', key: 'x', value: '1' } }));
    expect(cluster2.accept(0, 1, b1, write(1, 1))).toEqual([]);
    expect(cluster2.accept(1, 1, b1, write(1, 1))).toEqual([]);
    // A later ballot gets {1, 2} to accept a no-op there: a second chosen value.
    expect(cluster2.accept(2, 1, b2, { kind: 'noop' })).toEqual([]);
    expect(cluster2.accept(1, 1, b2, { kind: 'noop' })).toEqual(['Agreement: slot 1: c1#1 was chosen in ballot 1.0, now noop is chosen in ballot 2.1']);
  });

  it('Chosen Stability: a proposal at or above the choosing ballot with another value', () => {
    const cluster = new Cluster();
    cluster.step(0, (state) => state.step.clientCommands.push({ clientId: 1, sequence: 1, operation: { f: 'write', key: 'x', value: '1' } }));
    cluster.accept(0, 1, b2, write(1, 1));
    cluster.accept(1, 1, b2, write(1, 1));
    // A stale leader's retransmission below the choosing ballot is legal: it can no longer be chosen.
    expect(cluster.step(0, (state) => state.step.proposed.push({ slot: 1, ballot: b1, value: { kind: 'noop' } }))).toEqual([]);
    expect(cluster.step(2, (state) => state.step.proposed.push({ slot: 1, ballot: makeBallot(3, 2), value: { kind: 'noop' } }))).toEqual([
      'Chosen Stability: node 2 proposes noop in slot 1 at ballot 3.2, but c1#1 was chosen there at ballot 2.1',
    ]);
  });

  it('Promise Monotonicity: a promise lowered in one incarnation, and one forgotten across a restart', () => {
    const cluster = new Cluster();
    cluster.step(0, (state) => (state.promised = b2));
    expect(cluster.step(0, (state) => (state.promised = b1))).toEqual(['Promise Monotonicity: node 0 lowered its promise from 2.1 to 1.0']);
    const restarted = new Cluster();
    restarted.step(1, (state) => (state.promised = b2));
    // Node 2 hears node 1's promise of 2.1 (in a promise message): it was announced.
    expect(restarted.step(2, (state) => state.step.heard.push(1, b2))).toEqual([]);
    expect(restarted.restart(1)).toEqual(['Promise Monotonicity: node 1 promises 0, below the 2.1 it promised before']);
  });

  it('Ballot Uniqueness: a restarted node starts phase 1 with a ballot it already announced', () => {
    const cluster = new Cluster();
    expect(cluster.step(1, (state) => (state.step.startedBallot = b2))).toEqual([]);
    expect(cluster.step(0, (state) => state.step.preparesReceived.push(b2))).toEqual([]);
    cluster.restart(1);
    expect(cluster.step(1, (state) => (state.step.startedBallot = makeBallot(1, 1)))).toEqual([
      'Ballot Uniqueness: node 1 starts phase 1 with ballot 1.1, but it already announced ballot 2.1',
    ]);
  });

  it('State Machine Safety: two nodes apply different values in a slot, and a node skips a slot', () => {
    const cluster = new Cluster();
    const apply = (state: PaxosState, slot: number, value: Value) => {
      state.applied = slot;
      state.step.applied.push({ slot, value });
    };
    expect(cluster.step(0, (state) => apply(state, 1, write(1, 1)))).toEqual([]);
    expect(cluster.step(1, (state) => apply(state, 1, { kind: 'noop' }))).toEqual([
      'State Machine Safety: node 1 applies noop in slot 1, another node applied c1#1',
    ]);
    cluster.step(2, () => {});
    expect(cluster.step(2, (state) => apply(state, 2, { kind: 'noop' }))).toEqual([
      'State Machine Safety: node 2 applies slot 2 after slot 0',
    ]);
  });
});
