import { describe, expect, it } from 'vitest';
import { listScenarios } from '../../src/cli/commands/list.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { assertNoViolations, runSeeds } from '../../src/sweep/run-seeds.js';
import { shortenedScenario } from '../support/shorten-scenario.js';

/**
 * Every pass-expected Multi-Paxos scenario on a few seeds, its safety phase cut to 3 simulated
 * seconds so the file stays fast (the full-length sweep is `faultline sweep scenarios/paxos-*.yaml`,
 * recorded in README.md), and every planted bug caught by the invariant it breaks.
 */
const SEEDS = 6;
/** The planted bugs are cheap to run to the violation: each on 200 full-length seeds (issue 14). */
const PLANTED_SEEDS = 200;
const SAFETY_MS = 3_000;
const files = listScenarios('scenarios')
  .map((listing) => listing.file)
  .filter((file) => /\/paxos-/.test(file) && !file.endsWith('paxos-bench.yaml'));
const EXPECTED_TO_FAIL = ['paxos-lease-clock-skew.yaml'];
const isPlanted = (file: string) => file.endsWith('-unsafe.yaml');

/** Each planted bug: the invariant that must catch it, and on what share of seeds at least. */
const PLANTED: [file: string, violation: RegExp, atLeast: number][] = [
  ['scenarios/paxos-forget-acceptor-unsafe.yaml', /^invariant Promise Monotonicity violated at .*: node \d promises \S+, below the \S+ it promised before$/, 0.9],
  ['scenarios/paxos-ignore-promises-unsafe.yaml', /^invariant (Chosen Stability|Agreement) violated at /, 0.9],
  ['scenarios/paxos-ballot-reuse-unsafe.yaml', /^invariant Ballot Uniqueness violated at .*: node \d starts phase 1 with ballot \S+, but it already announced ballot \S+$/, 0.9],
  ['scenarios/paxos-skip-phase1-unsafe.yaml', /^invariant (Chosen Stability|Agreement|State Machine Safety) violated at /, 0.9],
];

describe(`every Multi-Paxos scenario on ${SEEDS} seeds`, () => {
  it('the library has at least ten pass-expected scenarios and one -unsafe scenario per planted bug', () => {
    const pass = files.filter((file) => !isPlanted(file) && !EXPECTED_TO_FAIL.some((name) => file.endsWith(name)));
    expect(pass.length).toBeGreaterThanOrEqual(10);
    expect(files.filter(isPlanted).sort()).toEqual(PLANTED.map(([file]) => file).sort());
  });

  it.each(files.filter((file) => !isPlanted(file) && !EXPECTED_TO_FAIL.some((name) => file.endsWith(name))).map((file) => [file]))(
    '%s: invariants hold, the history is linearizable, liveness holds',
    async (file) => {
      const summary = await runSeeds(shortenedScenario(file, SAFETY_MS), { seeds: SEEDS, workers: 'auto' });
      expect(summary.totals.run).toBe(SEEDS);
      assertNoViolations(summary);
    },
  );

  it('paxos-lease-clock-skew: lease reads break linearizability under a clock step, and nothing else breaks', async () => {
    const summary = await runSeeds(loadScenarioFile('scenarios/paxos-lease-clock-skew.yaml'), { seeds: SEEDS, workers: 'auto' });
    const runs = summary.scenarios[0]!.runs;
    expect([...new Set(runs.map((run) => run.verdict))].filter((verdict) => verdict !== 'pass' && verdict !== 'not-linearizable')).toEqual([]);
    expect(runs.filter((run) => run.verdict === 'not-linearizable').length).toBeGreaterThan(SEEDS / 2);
  });

  it.each(PLANTED)(`%s: the planted bug is caught on ${PLANTED_SEEDS} seeds, and only by the invariant it breaks`, (file, violation, atLeast) => {
    const scenario = loadScenarioFile(file);
    let caught = 0;
    for (let seed = 1; seed <= PLANTED_SEEDS; seed++) {
      const { result } = runScenario(scenario, { seed, skipLinearizability: true });
      if (result.verdict.kind === 'pass') continue;
      expect(result.verdict.detail, `seed ${seed}`).toMatch(violation);
      caught++;
    }
    expect(caught).toBeGreaterThanOrEqual(Math.ceil(PLANTED_SEEDS * atLeast));
  });

  it.each(PLANTED)('%s: with the option off the same schedule passes', (file) => {
    const scenario = loadScenarioFile(file);
    const options = Object.fromEntries(Object.entries(scenario.protocol.options as Record<string, unknown>).filter(([name]) => !name.startsWith('unsafe')));
    const safe = { ...scenario, protocol: { ...scenario.protocol, options }, expect: 'pass' as const };
    for (let seed = 1; seed <= 4; seed++) {
      const { result } = runScenario(safe, { seed, skipLinearizability: true });
      expect(`seed ${seed}: ${result.verdict.kind} ${result.verdict.detail}`).toBe(`seed ${seed}: pass `);
    }
  });
});
