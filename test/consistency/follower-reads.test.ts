import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

/**
 * Raft's `followerReads` option serves reads from whichever node the client is connected to.
 * The same system keeps the session guarantees (and sequential consistency) when each client
 * stays on one node, and breaks monotonic reads when clients hop between nodes: a property of
 * the clients' connection, not of any one replica (Terry et al., PDIS 1994, §3).
 */
const ladder = (file: string, seed: number): Record<string, string> => {
  const { result } = runScenario(loadScenarioFile(file), { seed });
  return Object.fromEntries((result.consistency?.verdicts ?? []).map((verdict) => [verdict.model, verdict.verdict]));
};

describe('Raft follower reads: sticky clients keep the session guarantees, hopping clients do not', () => {
  it.each([1, 2, 3, 4])('sticky clients, seed %i: not linearizable, but sequential and every session guarantee hold', (seed) => {
    expect(ladder('scenarios/raft-follower-reads-sticky.yaml', seed)).toEqual({
      linearizable: 'violated',
      sequential: 'holds',
      causal: 'holds',
      'read-your-writes': 'holds',
      'monotonic-reads': 'holds',
      'monotonic-writes': 'holds',
      'writes-follow-reads': 'holds',
    });
  });

  it.each([1, 2, 3, 4])('hopping clients, seed %i: monotonic reads is violated, with the reads named', (seed) => {
    const { result } = runScenario(loadScenarioFile('scenarios/raft-follower-reads-hopping-unsafe.yaml'), { seed });
    const monotonic = result.consistency?.verdicts.find((verdict) => verdict.model === 'monotonic-reads');
    expect(monotonic?.verdict).toBe('violated');
    expect(result.verdict.kind).toBe('inconsistent');
    // The detail names at least two operations (#id) of one session.
    expect(monotonic?.detail.match(/#\d+/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
  });

  it('a restarted node refuses local reads until it has applied what it held before the crash', () => {
    // Seed 1 crashes a node whose clients read again before it caught up (so do 6, 8 and 18 of 1..20).
    const { result } = runScenario(loadScenarioFile('scenarios/raft-follower-reads-sticky.yaml'), { seed: 1 });
    expect(result.marks['read-refused-until-caught-up']).toBeGreaterThan(0);
    expect(result.verdict.kind).toBe('pass');
  });
});
