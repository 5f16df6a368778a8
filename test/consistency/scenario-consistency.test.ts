import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/run/exit-code.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { parseScenario } from '../../src/scenario/load.js';
import { InputError } from '../../src/util/errors.js';
import { runSeeds } from '../../src/sweep/run-seeds.js';

const raft = (check: string, expect = 'pass'): string => `description: raft healthy, consistency promised
nodes: 3
protocol: { name: raft }
workload: { kind: register, clients: 3, thinkTime: 20ms }
duration: 2s
check: ${check}
expect: ${expect}
`;

/** PB with asynchronous replication: acknowledged writes vanish when the primary is cut off. */
const asyncPrimaryBackup = (check: string, expect: string): string => `description: pb async replication, consistency promised
nodes: 3
protocol: { name: primary-backup, options: { unsafeAsyncReplication: true } }
network: { latency: { distribution: uniform, min: 1ms, max: 10ms } }
workload: { kind: register, clients: 4, thinkTime: 10ms }
faults:
  - { at: 1s, every: 3s, action: partition, partition: { shape: isolate, node: leader }, for: 1500ms }
duration: 20s
check: ${check}
expect: ${expect}
`;

describe('scenarios that promise a consistency model (check.consistency)', () => {
  it('a correct Raft run keeps the promise; the whole ladder is recorded and linearizable is the strongest', () => {
    const { result } = runScenario(parseScenario(raft('{ consistency: sequential }')));
    expect(result.verdict.kind).toBe('pass');
    expect(result.consistency?.promised).toBe('sequential');
    expect(result.consistency?.strongest).toEqual(['linearizable']);
    expect(result.consistency?.verdicts.map((verdict) => `${verdict.model} ${verdict.verdict}`)).toEqual([
      'linearizable holds',
      'sequential holds',
      'causal holds',
      'read-your-writes holds',
      'monotonic-reads holds',
      'monotonic-writes holds',
      'writes-follow-reads holds',
    ]);
  });

  it('the verdict follows the promised model: a history that breaks it is `inconsistent` (exit 1), whatever linearizability says', () => {
    // After a failover the new primary lacks writes the old one acknowledged: a client reads a
    // value that its own acknowledged write had overwritten.
    const scenario = parseScenario(asyncPrimaryBackup('{ consistency: read-your-writes, invariants: false }', 'inconsistent'));
    const { result } = runScenario(scenario);
    expect(result.linearizability?.verdict).toBe('not linearizable');
    expect(result.verdict.kind).toBe('inconsistent');
    expect(result.verdict.detail).toMatch(/^not read-your-writes: #\d+ p\d+ read → "c\d+\.\d+" \[key "k0"\] returns the value of #\d+ p\d+ write .* which #\d+ p\d+ write .* overwrote/);
    expect(exitCodeFor(result.verdict.kind)).toBe(1);
  });

  it('sweep totals count the verdicts per model', async () => {
    const summary = await runSeeds(parseScenario(raft('{ consistency: read-your-writes }')), { seeds: 3 });
    expect(summary.scenarios[0]?.totals.consistency).toEqual({
      linearizable: { holds: 3, violated: 0, unknown: 0 },
      sequential: { holds: 3, violated: 0, unknown: 0 },
      causal: { holds: 3, violated: 0, unknown: 0 },
      'read-your-writes': { holds: 3, violated: 0, unknown: 0 },
      'monotonic-reads': { holds: 3, violated: 0, unknown: 0 },
      'monotonic-writes': { holds: 3, violated: 0, unknown: 0 },
      'writes-follow-reads': { holds: 3, violated: 0, unknown: 0 },
    });
    expect(summary.totals.consistency?.causal).toEqual({ holds: 3, violated: 0, unknown: 0 });
  });

  it('bad input: an unknown model, or a promise without a data model, is one line naming the field', () => {
    const message = (text: string): string => {
      try {
        parseScenario(text, 'promise.yaml');
      } catch (error) {
        if (error instanceof InputError) return error.describe();
        throw error;
      }
      return 'no error';
    };
    expect(message(raft('{ consistency: eventual }'))).toMatch(/^promise\.yaml:6:\d+: check\.consistency: expected consistency: linearizable, sequential, causal, read-your-writes, monotonic-reads, monotonic-writes, writes-follow-reads/);
    expect(message(raft('{ linearizability: false, consistency: causal }'))).toMatch(/^promise\.yaml:6:\d+: check\.consistency: needs the history checked with a data model/);
  });
});
