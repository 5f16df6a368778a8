import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedsOf, shardRange } from '../../src/sweep/seed-range.js';
import { cli, fingerprint, fixtureScenario, LOG_PROTOCOLS, readSummary, registerTestProtocols, temporaryDirectory } from './helpers.js';

describe('shardRange', () => {
  it('splits any seed range into disjoint slices that cover it exactly once, sizes within one seed', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(5_000), fc.integer({ min: 1, max: 64 }), (start, count, shards) => {
        const slices = Array.from({ length: shards }, (_, i) => shardRange({ start, count }, { index: i + 1, count: shards }));
        expect(slices.flatMap(seedsOf)).toEqual(seedsOf({ start, count }));
        const sizes = slices.map((slice) => slice.count);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('faultline sweep --shard and faultline merge', () => {
  beforeAll(registerTestProtocols);

  it('runs shards 1/3, 2/3, 3/3 over disjoint slices, and their merge equals the unsharded sweep', async () => {
    const root = temporaryDirectory('shard');
    const common = [fixtureScenario('planted-bug-short'), '--seeds', '14', '--start', '100', '--workers', '2', '--no-check-determinism', '--import', LOG_PROTOCOLS];

    const whole = await cli(['sweep', ...common, '--out', join(root, 'whole')]);
    const shardDirectories = [1, 2, 3].map((index) => join(root, `shard-${index}`));
    for (const [i, directory] of shardDirectories.entries()) await cli(['sweep', ...common, '--shard', `${i + 1}/3`, '--out', directory]);
    const merged = await cli(['merge', ...shardDirectories, '--out', join(root, 'merged')]);

    const shardSeeds = shardDirectories.map((directory) => fingerprint(readSummary(directory)).map((run) => run.seed));
    expect(shardSeeds.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 14 }, (_, i) => 100 + i));
    expect(new Set(shardSeeds.flat()).size).toBe(14);

    const unsharded = readSummary(join(root, 'whole'));
    const combined = readSummary(join(root, 'merged'));
    expect(fingerprint(combined)).toEqual(fingerprint(unsharded));
    expect(combined.totals).toEqual(unsharded.totals);
    expect(combined.status).toBe('complete');
    expect(combined.shards.map((shard) => `${shard.index}/${shard.count}`)).toEqual(['1/3', '2/3', '3/3']);
    // The fixture's seeds disagree (a crashed follower trips the planted bug, a crashed leader does
    // not), so the comparison covers both verdicts, and both commands exit 1 for the failures.
    expect(Object.keys(unsharded.totals.verdicts).sort()).toEqual(['invariant', 'pass']);
    expect([whole.code, merged.code]).toEqual([1, 1]);
  });

  it('points merged failures at the shard folders where their result.json files lie', async () => {
    const root = temporaryDirectory('merge-paths');
    const common = [fixtureScenario('planted-bug-short'), '--seeds', '6', '--workers', '1', '--no-check-determinism', '--import', LOG_PROTOCOLS];
    for (const index of [1, 2]) await cli(['sweep', ...common, '--shard', `${index}/2`, '--out', join(root, `s${index}`)]);
    await cli(['merge', join(root, 's1'), join(root, 's2'), '--out', join(root, 'merged')]);

    const failed = readSummary(join(root, 'merged')).scenarios[0]!.runs.filter((run) => run.failed);
    expect(failed.length).toBeGreaterThan(0);
    for (const run of failed) {
      const path = join(root, 'merged', run.failureDirectory!, 'result.json');
      expect(path).toMatch(/s[12]\/failures\/planted-bug-short\/\d+\/result\.json$/);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ seed: run.seed, traceHash: run.traceHash });
    }
  });

  it('refuses to merge a shard twice', async () => {
    const root = temporaryDirectory('merge-twice');
    await cli(['sweep', fixtureScenario('planted-bug-short'), '--seeds', '2', '--shard', '1/2', '--workers', '0', '--no-check-determinism', '--import', LOG_PROTOCOLS, '--out', join(root, 'a')]);
    const result = await cli(['merge', join(root, 'a'), join(root, 'a'), '--out', join(root, 'merged')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('shard 1/2 is given twice');
  });
});
