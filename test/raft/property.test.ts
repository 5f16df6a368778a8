import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../src/protocol/effects.js';
import { Cluster } from './adapter.js';
import { applyFault, runLivenessPhase, type FaultAction } from './faults.js';

const node = fc.nat(6);
const pick = fc.nat(1000);
const action: fc.Arbitrary<FaultAction> = fc.oneof(
  { weight: 30, arbitrary: pick.map((p) => ({ kind: 'deliver' as const, pick: p })) },
  { weight: 20, arbitrary: fc.constant({ kind: 'flush' as const }) },
  { weight: 4, arbitrary: pick.map((p) => ({ kind: 'drop' as const, pick: p })) },
  { weight: 3, arbitrary: pick.map((p) => ({ kind: 'duplicate' as const, pick: p })) },
  { weight: 10, arbitrary: fc.constant({ kind: 'timer' as const }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 400 }).map((ms) => ({ kind: 'advance' as const, ms })) },
  { weight: 2, arbitrary: node.map((n) => ({ kind: 'crash' as const, node: n })) },
  { weight: 2, arbitrary: node.map((n) => ({ kind: 'restart' as const, node: n })) },
  { weight: 1, arbitrary: fc.record({ node, pick }).map((r) => ({ kind: 'corrupt' as const, ...r })) },
  { weight: 2, arbitrary: fc.nat(31).map((mask) => ({ kind: 'partition' as const, mask })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'heal' as const }) },
  { weight: 1, arbitrary: node.map((n) => ({ kind: 'pause' as const, node: n })) },
  { weight: 2, arbitrary: node.map((n) => ({ kind: 'resume' as const, node: n })) },
  { weight: 6, arbitrary: fc.record({ node, key: fc.nat(2), value: fc.nat(1000) }).map((r) => ({ kind: 'write' as const, ...r })) },
  { weight: 3, arbitrary: fc.record({ node, key: fc.nat(2) }).map((r) => ({ kind: 'read' as const, ...r })) },
);

const scenario = fc.record({
  size: fc.constantFrom(3, 5),
  options: fc.record({
    preVote: fc.boolean(),
    checkQuorum: fc.boolean(),
    snapshotThreshold: fc.constantFrom(4, 20, 1000),
    maxEntriesPerMessage: fc.constantFrom(1, 3, 64),
    maxInflightMessages: fc.constantFrom(1, 4, 64),
  }),
  actions: fc.array(action, { minLength: 100, maxLength: 600 }),
  seed: fc.nat(),
});

function runScenario(size: number, options: Record<string, unknown>, actions: FaultAction[], seed: number): Cluster {
  const cluster = new Cluster(size, options, `property/${seed}`, false);
  const budget = { corrupted: new Set<NodeId>() };
  for (const step of actions) {
    applyFault(cluster, step, budget);
    if (cluster.violations.length > 0) return cluster;
  }
  return cluster;
}

/** What the random runs reached, so a passing property is known not to be vacuous. */
interface Coverage {
  runs: number;
  runsWithCommits: number;
  snapshotsInstalled: number;
  okReplies: number;
}

function record(coverage: Coverage, cluster: Cluster): void {
  coverage.runs++;
  if (cluster.ids.some((id) => (cluster.node(id).state?.commitIndex ?? 0) > 2)) coverage.runsWithCommits++;
  coverage.snapshotsInstalled += cluster.delivered.get('snapshot') ?? 0;
  coverage.okReplies += cluster.replies.filter((reply) => reply.response.status === 'ok').length;
}

describe('raft under random fault schedules', () => {
  it('never violates an invariant, and converges once the faults stop', () => {
    const coverage: Coverage = { runs: 0, runsWithCommits: 0, snapshotsInstalled: 0, okReplies: 0 };
    fc.assert(
      fc.property(scenario, ({ size, options, actions, seed }) => {
        const cluster = runScenario(size, options, actions, seed);
        expect(cluster.violations).toEqual([]);
        const stuck = runLivenessPhase(cluster);
        expect(cluster.violations).toEqual([]);
        expect(stuck).toBeUndefined();
        // Every request held by a node that stayed up has been answered.
        expect([...cluster.pending.keys()]).toEqual([]);
        record(coverage, cluster);
      }),
      { numRuns: 200, seed: 20240611 },
    );
    expect(coverage.runsWithCommits).toBeGreaterThan(coverage.runs / 4);
    expect(coverage.snapshotsInstalled).toBeGreaterThan(0);
    expect(coverage.okReplies).toBeGreaterThan(coverage.runs);
  });
});
