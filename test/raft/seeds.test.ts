import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listScenarios } from '../../src/cli/commands/list.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.js';
import { assertNoViolations, runSeeds } from '../../src/sweep/run-seeds.js';
import { shortenedScenario } from '../support/shorten-scenario.js';

/**
 * Every Raft scenario on 200 seeds, its safety phase cut to 3 simulated seconds so the whole file
 * stays fast (the full-length 2,000-seed sweep is `npm run sweep:raft`, recorded in README.md).
 * Invariants run after every step, the history is checked for linearizability, and the liveness
 * phase (where the scenario has one) must serve every client.
 */
const SEEDS = 200;
const SAFETY_MS = 3_000;
const files = listScenarios('scenarios')
  .map((listing) => listing.file)
  .filter((file) => /\/raft-/.test(file) && !file.endsWith('raft-bench.yaml'));
/** Planted bugs: these must fail, and are tested below for failing the right way. */
const EXPECTED_TO_FAIL = ['raft-lease-clock-skew.yaml', 'raft-crash-after-vote-unsafe.yaml', 'raft-figure8-unsafe.yaml', 'raft-stale-reads-unsafe.yaml'];

/** Planted Raft bugs that faults triggered by sends expose: what must break, and how often at least. */
const PLANTED: [file: string, violation: RegExp, atLeast: number][] = [
  ['scenarios/raft-crash-after-vote-unsafe.yaml', /^invariant Election Safety violated at .*: nodes \d and \d are both leaders of term \d+$/, 0.75],
  ['scenarios/raft-figure8-unsafe.yaml', /^invariant (Leader Completeness|State Machine Safety|Committed Entries Survive Restarts) violated at /, 0.75],
];

describe(`every Raft scenario on ${SEEDS} seeds`, () => {
  it.each(files.filter((file) => !EXPECTED_TO_FAIL.some((name) => file.endsWith(name))).map((file) => [file]))(
    '%s: invariants hold, the history is linearizable, liveness holds',
    async (file) => {
      const summary = await runSeeds(shortenedScenario(file, SAFETY_MS), { seeds: SEEDS, workers: 'auto' });
      expect(summary.totals.run).toBe(SEEDS);
      assertNoViolations(summary);
    },
  );

  it('raft-lease-clock-skew: lease reads break linearizability under a clock step, and nothing else breaks', async () => {
    const summary = await runSeeds(shortenedScenario('scenarios/raft-lease-clock-skew.yaml', SAFETY_MS), { seeds: SEEDS, workers: 'auto' });
    const runs = summary.scenarios[0]!.runs;
    expect(runs).toHaveLength(SEEDS);
    const verdicts = new Set(runs.map((run) => run.verdict));
    expect([...verdicts].filter((verdict) => verdict !== 'pass' && verdict !== 'not-linearizable')).toEqual([]);
    // Most seeds catch a stale read; a seed whose clients all left the old leader in time passes.
    expect(runs.filter((run) => run.verdict === 'not-linearizable').length).toBeGreaterThan(SEEDS / 2);
  });

  it('raft-stale-reads-unsafe: a cut-off leader answering reads without ReadIndex is caught; with the option off it passes', async () => {
    const file = 'scenarios/raft-stale-reads-unsafe.yaml';
    const text = readFileSync(file, 'utf8');
    const unsafe = await runSeeds(parseScenario(text, file), { seeds: SEEDS / 4, workers: 'auto' });
    const runs = unsafe.scenarios[0]!.runs;
    expect(runs).toHaveLength(SEEDS / 4);
    // Nothing but the stale reads breaks; on most seeds (all of 2,000 at the time of writing) they do.
    expect(runs.filter((run) => run.verdict !== 'pass' && run.verdict !== 'not-linearizable')).toEqual([]);
    expect(runs.filter((run) => run.verdict === 'not-linearizable').length).toBeGreaterThan(runs.length * 0.9);
    const safeText = text.replace('unsafeStaleReads: true', 'unsafeStaleReads: false').replace('expect: not-linearizable', 'expect: pass');
    expect(safeText).not.toBe(text);
    const safe = await runSeeds(parseScenario(safeText, file), { seeds: SEEDS / 4, workers: 'auto' });
    assertNoViolations(safe);
  });

  it.each(PLANTED)('%s: the planted bug is caught, and only as the safety violation it causes', (file, violation, atLeast) => {
    // Full length: the 3-second cut leaves too few elections to catch it on most seeds.
    const scenario = loadScenarioFile(file);
    const seeds = SEEDS / 5;
    let caught = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const { result } = runScenario(scenario, { seed, skipLinearizability: true });
      if (result.verdict.kind === 'pass') continue;
      expect(result.verdict.detail, `seed ${seed}`).toMatch(violation);
      caught++;
    }
    expect(caught).toBeGreaterThan(seeds * atLeast);
  });
});
