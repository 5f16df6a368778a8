import { describe, expect, it } from 'vitest';
import { listScenarios } from '../src/cli/commands/list.js';
import { runScenario } from '../src/run/run-scenario.js';
import { loadScenarioFile } from '../src/scenario/load.js';

/** Scenarios that exist to be measured, not demonstrated: one seed is enough here. */
const HEAVY = new Set(['scenarios/pb-bench.yaml', 'scenarios/raft-bench.yaml', 'scenarios/paxos-bench.yaml', 'scenarios/zab-bench.yaml']);
const SEEDS = [1, 2, 3];

describe('every scenario in scenarios/ ends with the verdict it expects', () => {
  const scenarios = listScenarios('scenarios');

  it('the library has scenarios, each with a description', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(5);
    for (const scenario of scenarios) expect(scenario.description, scenario.file).not.toBe('');
  });

  it.each(scenarios.map((scenario) => [scenario.file]))('%s', (file) => {
    const scenario = loadScenarioFile(file);
    for (const seed of HEAVY.has(file) ? [1] : SEEDS) {
      const { result } = runScenario(scenario, { seed });
      expect(`${file} seed ${seed}: ${result.verdict.kind} ${result.verdict.detail}`).toBe(`${file} seed ${seed}: ${scenario.expect} ${scenario.expect === 'pass' ? '' : result.verdict.detail}`);
      // Every `sometimes` property was reached (e.g. Raft's "Leader Elected"): observers saw the steps.
      expect(result.coverageMissed, `${file} seed ${seed}`).toEqual([]);
    }
  });
});
