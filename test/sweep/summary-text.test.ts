import { describe, expect, it } from 'vitest';
import { plainPainter } from '../../src/report/summary.js';
import type { SeedRun, SweepSummary } from '../../src/sweep/summary.js';
import { totalsOf } from '../../src/sweep/summary.js';
import { renderSweepSummary } from '../../src/sweep/summary-text.js';

function failedRun(seed: number): SeedRun {
  return {
    seed, verdict: 'invariant', expected: 'pass', detail: 'Election Safety: two leaders in term 3', traceHash: '0', events: 10,
    simulatedTime: 1_000_000, wallMs: 1, failed: true, failureDirectory: `failures/s/${seed}`, divergence: undefined,
  };
}

function summaryOf(failures: number, imports: SweepSummary['imports'] = []): SweepSummary {
  const runs = Array.from({ length: failures }, (_, index) => failedRun(index + 1));
  const totals = totalsOf(runs, failures);
  return {
    formatVersion: 1, kind: 'faultline-sweep', status: 'complete', stopReason: undefined, seeds: { start: 1, count: failures },
    shards: [{ index: 1, count: 1 }], swarm: false, checkDeterminism: false, imports, workers: 1,
    scenarios: [{ name: 's', file: undefined, expect: 'pass', planned: [{ start: 1, count: failures }], runs, totals, marks: {} }],
    totals, wallMs: 1, seedsPerSecond: 1,
  };
}

describe('sweep summary text', () => {
  it('counts the failures it leaves out, not the lines it printed', () => {
    // Each failure here takes three lines (verdict, detail, replay), so 7 fit before the bound of 20 lines.
    const text = renderSweepSummary(summaryOf(19), plainPainter, '/out', '/out');
    const listed = text.split('\n').filter((line) => line.includes('failed ') && line.includes(' seed '));
    expect(listed).toHaveLength(7);
    expect(text).toContain('… 12 more in summary.json');
  });

  it('says nothing about more when every failure fits', () => {
    const text = renderSweepSummary(summaryOf(3), plainPainter, '/out', '/out');
    expect(text).not.toContain('more in summary.json');
    expect(text.match(/replay: faultline replay/g)).toHaveLength(3);
  });

  it('keeps the --import of a protocol of one\'s own in every replay line', () => {
    const imports = [{ given: 'protocols/mine.mjs', resolved: 'file:///work/protocols/mine.mjs' }];
    const text = renderSweepSummary(summaryOf(2, imports), plainPainter, '/work/out', '/work');
    expect(text).toContain('replay: faultline replay out/failures/s/1/result.json --import protocols/mine.mjs');
    expect(text).toContain('replay: faultline replay out/failures/s/2/result.json --import protocols/mine.mjs');
  });
});
