import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { renderJunit } from '../../src/sweep/junit.js';
import { assertNoViolations, runSeeds, SweepFailure } from '../../src/sweep/run-seeds.js';
import { readResultFile, replayResultFile } from '../../src/run/replay.js';
import { registerTestProtocols, temporaryDirectory } from './helpers.js';

const logScenario = (plantedBug: boolean) =>
  parseScenario(
    `
nodes: 3
protocol: { name: planted-bug-log, options: { plantedBug: ${plantedBug} } }
workload: { kind: register, clients: 2, thinkTime: 10ms }
faults: [{ at: 200ms, action: crash, node: 1, for: 20ms }]
duration: 400ms
`,
    'inline.yaml',
  );

describe('the library API for users\u2019 tests', () => {
  beforeAll(registerTestProtocols);

  it('runs a protocol registered by the test itself across many seeds, in the calling thread', async () => {
    const summary = await runSeeds(logScenario(false), { seeds: 40 });

    expect(summary.totals).toMatchObject({ planned: 40, run: 40, passed: 40, failed: 0 });
    expect(() => assertNoViolations(summary)).not.toThrow();
  });

  it('turns failing seeds into one test failure that names each seed, its invariant and how to reproduce it', async () => {
    const summary = await runSeeds(logScenario(true), { seeds: 10, start: 50 });

    expect(summary.totals.failed).toBeGreaterThan(0);
    expect(() => assertNoViolations(summary)).toThrow(SweepFailure);
    expect(() => assertNoViolations(summary)).toThrow(/seed 5\d: invariant \(expected pass\): invariant follower-log-is-leader-prefix violated/);
    expect(() => assertNoViolations(summary)).toThrow(/reproduce: faultline run inline\.yaml --seed 5\d/);
  });

  it('stops when its abort signal fires and says the sweep was interrupted', async () => {
    const controller = new AbortController();
    const summary = await runSeeds(logScenario(false), { seeds: 1000, onSeed: () => controller.abort(), signal: controller.signal });

    expect(summary.status).toBe('interrupted');
    expect(summary.totals.run).toBe(1);
    expect(summary.totals.notRun).toBe(999);
    expect(() => assertNoViolations(summary)).toThrow(/sweep interrupted/);
  });

  it('stops with an error naming the fix when worker threads do not know the protocol', async () => {
    const summary = await runSeeds(logScenario(false), { seeds: 4, workers: 1 }); // no setupModules

    expect(summary.status).toBe('error');
    expect(summary.stopReason).toMatch(/unknown protocol "planted-bug-log".*register it with a setup module, --import or setupModules/);
    expect(summary.totals.notRun).toBe(4);
  });

  it('writes swarm mode into each failure\'s scenario text, so its result.json replays on its own', async () => {
    const out = temporaryDirectory('swarm');
    const summary = await runSeeds(logScenario(true), { seeds: 8, swarm: true, out });
    const failed = summary.scenarios[0]!.runs.filter((run) => run.failed);

    expect(summary.swarm).toBe(true);
    expect(failed.length).toBeGreaterThan(0);
    for (const run of failed) {
      const path = join(out, run.failureDirectory!, 'result.json');
      expect(readResultFile(path).scenarioSource).toMatch(/^swarm: true$/m);
      expect(replayResultFile(path).matches).toBe(true);
    }
  });

  it('writes JUnit XML with one test case per seed and a failure element per failing seed', async () => {
    const summary = await runSeeds(logScenario(true), { seeds: 6 });
    const xml = renderJunit(summary);

    expect(xml.match(/<testcase /g)).toHaveLength(6);
    expect(xml.match(/<failure /g)).toHaveLength(summary.totals.failed);
    expect(xml).toContain(`<testsuite name="inline" tests="6" failures="${summary.totals.failed}"`);
  });
});
