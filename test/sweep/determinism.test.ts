import { beforeAll, describe, expect, it } from 'vitest';
import { runSeeds } from '../../src/sweep/run-seeds.js';
import { cli, fixtureScenario, LOG_PROTOCOLS, readSummary, registerTestProtocols, temporaryDirectory } from './helpers.js';

describe('--check-determinism', () => {
  beforeAll(registerTestProtocols);

  it('reports a protocol that reads ambient state, naming the first diverging event', async () => {
    const out = temporaryDirectory('ambient');
    const result = await cli(['sweep', fixtureScenario('ambient-log'), '--seeds', '6', '--workers', '2', '--check-determinism', '--import', LOG_PROTOCOLS, '--out', out]);

    const summary = readSummary(out);
    const diverged = summary.scenarios[0]!.runs.filter((run) => run.divergence !== undefined);
    expect(result.code).toBe(1);
    expect(diverged.length).toBeGreaterThan(0);
    expect(summary.totals.failedBy.nondeterministic).toBe(diverged.length);
    const named = diverged.find((run) => run.divergence!.eventIndex !== undefined)!;
    const divergence = named.divergence!;
    expect(divergence.workers[0]).not.toBe(divergence.workers[1]);
    expect(divergence.traceHashes[0]).not.toBe(divergence.traceHashes[1]);
    // The ambient counter shifts the leader's first heartbeat by a few microseconds.
    expect(divergence.first).not.toBe(divergence.second);
    expect(`${divergence.first}\n${divergence.second}`).toMatch(/timer n0 heartbeat/);
    expect(result.stdout).toContain(`first diverging event #${divergence.eventIndex}`);
  });

  it('passes a protocol that keeps all its state in the simulation', async () => {
    const summary = await runSeeds(fixtureScenario('planted-bug-short'), { seeds: 6, workers: 2, checkDeterminism: true, setupModules: [LOG_PROTOCOLS] });

    expect(summary.checkDeterminism).toBe(true);
    expect(summary.totals.run).toBe(6);
    expect(summary.scenarios[0]!.runs.every((run) => run.divergence === undefined)).toBe(true);
  });
});
