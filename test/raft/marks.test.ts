import { describe, expect, it } from 'vitest';
import { RAFT_MARKS } from '../../src/protocols/raft/declarations.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

// Every Raft mark is reached by a shipped scenario: the snapshot-churn scenario reaches all but
// lease reads on its first two seeds, and the lease scenario (expected to fail) reaches those.
describe('Raft coverage marks', () => {
  it('raft-snapshot-churn (seeds 1-2, passing) and raft-lease-clock-skew (seed 1) reach every Raft mark', () => {
    const reached = new Set<string>();
    const churn = loadScenarioFile('scenarios/raft-snapshot-churn.yaml');
    for (const seed of [1, 2]) {
      const { result } = runScenario(churn, { seed });
      expect(result.verdict.kind, `churn seed ${seed}`).toBe('pass');
      for (const [name, count] of Object.entries(result.marks)) if (count > 0) reached.add(name);
    }
    expect(Object.keys(RAFT_MARKS).filter((name) => !reached.has(name))).toEqual(['read-served-by-lease']);
    const lease = runScenario(loadScenarioFile('scenarios/raft-lease-clock-skew.yaml'), { seed: 1, skipLinearizability: true }).result;
    expect(lease.marks['read-served-by-lease']).toBeGreaterThan(0);
  });
});
