import { describe, expect, it } from 'vitest';
import { RAFT_MARKS } from '../../src/protocols/raft/declarations.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

// Every Raft mark is reached by a shipped scenario: the snapshot-churn scenario reaches all but
// lease reads and the followerReads paths on its first two seeds, the lease scenario (expected
// to fail) reaches lease reads, and raft-follower-reads-sticky (seed 1) the followerReads paths.
describe('Raft coverage marks', () => {
  it('raft-snapshot-churn (seeds 1-2, passing) and raft-lease-clock-skew (seed 1) reach every Raft mark', () => {
    const reached = new Set<string>();
    const churn = loadScenarioFile('scenarios/raft-snapshot-churn.yaml');
    for (const seed of [1, 2]) {
      const { result } = runScenario(churn, { seed });
      expect(result.verdict.kind, `churn seed ${seed}`).toBe('pass');
      for (const [name, count] of Object.entries(result.marks)) if (count > 0) reached.add(name);
    }
    const followerReadMarks = ['read-served-locally', 'read-refused-until-caught-up', 'write-forwarded', 'forwarded-write-answered'];
    expect(Object.keys(RAFT_MARKS).filter((name) => !reached.has(name))).toEqual(['read-served-by-lease', ...followerReadMarks]);
    const lease = runScenario(loadScenarioFile('scenarios/raft-lease-clock-skew.yaml'), { seed: 1, skipLinearizability: true }).result;
    expect(lease.marks['read-served-by-lease']).toBeGreaterThan(0);
    const followerReads = runScenario(loadScenarioFile('scenarios/raft-follower-reads-sticky.yaml'), { seed: 1, skipLinearizability: true }).result;
    for (const name of followerReadMarks) expect(followerReads.marks[name], name).toBeGreaterThan(0);
  });
});
