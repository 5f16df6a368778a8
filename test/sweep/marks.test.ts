import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addRunMarks, sumMarks, unreachedMarks, type MarkTotals } from '../../src/sweep/marks.js';
import { cli, readSummary, ROOT, temporaryDirectory } from './helpers.js';

const scenario = (name: string) => join(ROOT, 'scenarios', `${name}.yaml`);
const quick = ['--workers', '0', '--no-check-determinism', '--skip-linearizability'];

describe('coverage marks in sweeps', () => {
  it('counts, per mark, the seeds that reached it and its hits; a declared mark no seed reached has 0 seeds', () => {
    const totals: MarkTotals = {};
    addRunMarks(totals, { a: 3, b: 0 });
    addRunMarks(totals, { a: 1, b: 0 });
    expect(totals).toEqual({ a: { seeds: 2, hits: 4 }, b: { seeds: 0, hits: 0 } });
    expect(sumMarks([totals, { b: { seeds: 1, hits: 5 }, c: { seeds: 0, hits: 0 } }])).toEqual({ a: { seeds: 2, hits: 4 }, b: { seeds: 1, hits: 5 }, c: { seeds: 0, hits: 0 } });
    expect(unreachedMarks(['a', 'b', 'c'], [{ marks: totals }])).toEqual(['b', 'c']);
  });

  it('writes the marks to summary.json, prints the table, and --require-marks passes when every listed mark was reached', async () => {
    const out = temporaryDirectory('marks-reached');
    const run = await cli(['sweep', scenario('raft-snapshot-catch-up'), '--seeds', '2', ...quick, '--out', out, '--require-marks', 'snapshot-taken,snapshot-installed']);
    expect(run.code).toBe(0);
    const marks = readSummary(out).scenarios[0]!.marks;
    expect(marks['snapshot-installed']!.seeds).toBe(2);
    expect(marks['snapshot-installed']!.hits).toBeGreaterThanOrEqual(2);
    expect(marks['vote-granted-after-restart']).toEqual({ seeds: 0, hits: 0 }); // no node restarts here
    expect(run.stdout).toMatch(/marks +mark +seeds +hits/);
    expect(run.stdout).toMatch(/snapshot-installed +2 of 2 +\d/);
    expect(run.stdout).toMatch(/vote-granted-after-restart +0 of 2 +0 +never reached/);
  });

  it('--require-marks fails the sweep (exit 1) when a listed mark was never reached, naming it', async () => {
    const out = temporaryDirectory('marks-missed');
    const run = await cli(['sweep', scenario('raft-snapshot-catch-up'), '--seeds', '1', ...quick, '--out', out, '--require-marks', 'snapshot-installed,vote-granted-after-restart']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('required marks never reached: vote-granted-after-restart\n');
  });

  it('--require-marks refuses a mark no swept protocol declares before running anything (exit 2)', async () => {
    const out = temporaryDirectory('marks-unknown');
    const run = await cli(['sweep', scenario('raft-healthy'), '--seeds', '1', ...quick, '--out', out, '--require-marks', 'snapshot-instaled']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no swept protocol declares mark "snapshot-instaled"; did you mean snapshot-installed\?/);
  });

  it('merging shards adds their marks up to those of the unsharded sweep', async () => {
    const root = temporaryDirectory('marks-merge');
    const common = [scenario('pb-crash-restart-storm'), '--seeds', '4', ...quick];
    await cli(['sweep', ...common, '--out', join(root, 'whole')]);
    for (const index of [1, 2]) await cli(['sweep', ...common, '--shard', `${index}/2`, '--out', join(root, `shard-${index}`)]);
    await cli(['merge', join(root, 'shard-1'), join(root, 'shard-2'), '--out', join(root, 'merged')]);
    const whole = readSummary(join(root, 'whole')).scenarios[0]!.marks;
    expect(readSummary(join(root, 'merged')).scenarios[0]!.marks).toEqual(whole);
    expect(whole['view-change-started']!.seeds).toBeGreaterThan(0);
  });
});
