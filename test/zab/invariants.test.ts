import { describe, expect, it } from 'vitest';
import type { ClusterView } from '../../src/invariants/observer.js';
import type { NodeId } from '../../src/protocol/effects.js';
import { zabObservers } from '../../src/protocols/zab/invariants.js';
import type { Txn } from '../../src/protocols/zab/messages.js';
import { DEFAULT_ZAB_OPTIONS, ZAB_OPTIONS } from '../../src/protocols/zab/options.js';
import { chooseSync } from '../../src/protocols/zab/sync.js';
import { createZabState, type ZabState } from '../../src/protocols/zab/state.js';
import { makeZxid } from '../../src/protocols/zab/zxid.js';

/** Zab's observers on hand-built states: each step is what a server might hold after handling one input. */
class Cluster implements ClusterView<ZabState> {
  readonly now = 0;
  readonly nodes: NodeId[] = [0, 1, 2];
  readonly states = this.nodes.map((id) => createZabState(id, this.nodes, { ...DEFAULT_ZAB_OPTIONS }));
  private readonly observers = zabObservers().filter((observer) => observer.kind === 'always');

  state(node: NodeId): ZabState | undefined {
    return this.states[node];
  }

  /** Server `node` leads `epoch` and proposes the txns (as one step). */
  propose(node: NodeId, ...txns: Txn[]): string[] {
    const state = this.states[node]!;
    state.step = { applied: [], proposed: txns, removedFrom: Infinity, established: false, installedSnapshot: null };
    for (const t of txns) state.history.append(t);
    return this.step(node);
  }

  /** Server `node` delivers the txns (as one step). */
  deliver(node: NodeId, ...txns: Txn[]): string[] {
    const state = this.states[node]!;
    state.step = { applied: txns, proposed: [], removedFrom: Infinity, established: false, installedSnapshot: null };
    state.commitZxid = txns[txns.length - 1]!.zxid;
    return this.step(node);
  }

  step(node: NodeId): string[] {
    const out: string[] = [];
    for (const observer of this.observers) {
      const problem = observer.afterStep?.(this, node);
      if (problem !== undefined) out.push(`${observer.name}: ${problem}`);
    }
    return out;
  }
}

function txn(epoch: number, counter: number, client: number): Txn {
  return { zxid: makeZxid(epoch, counter), command: { clientId: client, sequence: counter, operation: { f: 'write', key: 'k', value: `v${counter}` } } };
}

describe("Zab's observers", () => {
  it('accept servers that deliver the same txns in zxid order', () => {
    const cluster = new Cluster();
    expect(cluster.propose(0, txn(1, 1, 7), txn(1, 2, 7))).toEqual([]);
    expect(cluster.deliver(0, txn(1, 1, 7), txn(1, 2, 7))).toEqual([]);
    expect(cluster.deliver(1, txn(1, 1, 7))).toEqual([]);
    expect(cluster.deliver(1, txn(1, 2, 7))).toEqual([]);
  });

  it('Integrity: a delivered txn no leader broadcast', () => {
    const cluster = new Cluster();
    expect(cluster.deliver(1, txn(1, 1, 7))).toEqual(['Integrity: server 1 delivered 1.1 (c7#1 write k), which no leader broadcast']);
  });

  it('SingleLeader: one zxid proposed for two different txns (ZOOKEEPER-335)', () => {
    const cluster = new Cluster();
    expect(cluster.propose(0, txn(2, 1, 7))).toEqual([]);
    expect(cluster.propose(1, txn(2, 1, 8))).toEqual(['SingleLeader: zxid 2.1 proposed twice: c7#1 write k, then c8#1 write k by server 1']);
  });

  it('PrefixConsistency: a txn delivered where another server delivered a different one (ZOOKEEPER-1154)', () => {
    const cluster = new Cluster();
    cluster.propose(0, txn(1, 1, 7), txn(1, 2, 7));
    // The epoch-2 leader had delivered 1.1 (not 1.2) when it proposed 2.1.
    expect(cluster.deliver(0, txn(1, 1, 7))).toEqual([]);
    expect(cluster.propose(2, txn(2, 1, 8))).toEqual([]);
    expect(cluster.deliver(0, txn(2, 1, 8))).toEqual([]);
    expect(cluster.deliver(1, txn(1, 1, 7), txn(1, 2, 7))).toEqual(['PrefixConsistency: server 1 delivered 1.2 after 1.1, where another server delivered 2.1']);
  });

  it('Local primary order: a txn of an epoch delivered before its predecessor of the same epoch', () => {
    const cluster = new Cluster();
    cluster.propose(0, txn(1, 1, 7), txn(1, 2, 7));
    expect(cluster.deliver(0, txn(1, 2, 7))).toEqual(['Local primary order: server 0 delivered 1.2 after 0.0: the epoch 1 primary\'s txn 1.1 comes first']);
  });
});

describe('synchronization choice', () => {
  const leader = (): ZabState => {
    const state = createZabState(0, [0, 1, 2], { ...DEFAULT_ZAB_OPTIONS });
    for (const t of [txn(1, 1, 1), txn(1, 2, 1), txn(2, 1, 1), txn(2, 2, 1)]) state.history.append(t);
    return state;
  };

  it('DIFF for a follower whose last zxid the leader holds', () => {
    const sync = chooseSync(leader(), { lastZxid: makeZxid(1, 2), snapshotZxid: 0, epochs: [[1, makeZxid(1, 2)]] }, 3);
    expect(sync.type).toBe('diff');
    expect(sync.txns.map((t) => t.zxid)).toEqual([makeZxid(2, 1), makeZxid(2, 2)]);
  });

  it('TRUNC for a follower with a txn the leader never had, to the exact common prefix', () => {
    // The follower logged 1.3, which the epoch-2 leader never had: truncate to 1.2, then DIFF.
    const sync = chooseSync(leader(), { lastZxid: makeZxid(1, 3), snapshotZxid: 0, epochs: [[1, makeZxid(1, 3)]] }, 3);
    expect(sync.type === 'trunc' && sync.truncZxid).toBe(makeZxid(1, 2));
    expect(sync.txns.map((t) => t.zxid)).toEqual([makeZxid(2, 1), makeZxid(2, 2)]);
  });

  it('with unsafeDiffWithoutTrunc the same follower gets a DIFF that keeps 1.3 (ZOOKEEPER-1154)', () => {
    const state = leader();
    const unsafe = createZabState(0, [0, 1, 2], { ...DEFAULT_ZAB_OPTIONS, unsafeDiffWithoutTrunc: true });
    unsafe.history = state.history;
    expect(chooseSync(unsafe, { lastZxid: makeZxid(1, 3), snapshotZxid: 0, epochs: [[1, makeZxid(1, 3)]] }, 3).type).toBe('diff');
  });

  it('SNAP when the common prefix lies below the leader snapshot', () => {
    const state = leader();
    state.history.compact({ zxid: makeZxid(2, 1), data: { data: [], sessions: [] } });
    const sync = chooseSync(state, { lastZxid: makeZxid(1, 1), snapshotZxid: 0, epochs: [[1, makeZxid(1, 1)]] }, 3);
    expect(sync.type).toBe('snap');
  });
});

describe('options', () => {
  it('refuses an unknown read mode with the valid list', () => {
    expect(() => ZAB_OPTIONS.parse({ readMode: 'fast' })).toThrow('expected one of local, sync, got "fast"');
  });

  it('refuses an unknown option with a suggestion', () => {
    expect(() => ZAB_OPTIONS.parse({ tickMS: 5 })).toThrow(/unknown zab option "tickMS".*tickMs/);
  });
});
