import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseDocument } from 'yaml';
import { loadScenarioFile, parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import { WHOLE_RANGE } from '../sweep/seed-range.js';
import { startExecutor } from '../sweep/start-executor.js';
import { Sweep } from '../sweep/sweep.js';
import { isMain, nowMs } from './measure.js';

export interface SweepBenchOptions {
  /** Default: scenarios/raft-bench.yaml, else scenarios/pb-healthy.yaml. */
  scenarioFile?: string;
  /** Simulated seconds per run; default 10. */
  simulatedSeconds?: number;
  /** Seeds per measurement; default 24. */
  seeds?: number;
}

export interface SweepBenchResult {
  scenario: string;
  simulatedSeconds: number;
  seeds: number;
  oneWorkerSeedsPerSecond: number;
  twoWorkersSeedsPerSecond: number;
  /** Two workers over one; 2.0 would be perfect scaling. */
  ratio: number;
  /** What 1,000 seeds would take on two workers at the measured rate. */
  thousandSeedsSecondsTwoWorkers: number;
  /** The machine's 1-minute load average before and after: other work skews the ratio. */
  loadAverage: [number, number];
}

/**
 * Sweep throughput: seeds per second through the worker pool with one worker and with two, on
 * the same seeds, end to end (worker start-up, cold JIT and linearizability checks included, as a
 * CI sweep pays them).
 */
export async function runSweepBench(options: SweepBenchOptions = {}): Promise<SweepBenchResult> {
  const file = options.scenarioFile ?? (existsSync('scenarios/raft-bench.yaml') ? 'scenarios/raft-bench.yaml' : 'scenarios/pb-healthy.yaml');
  const simulatedSeconds = options.simulatedSeconds ?? 10;
  const seeds = options.seeds ?? 24;
  const scenario = withDuration(loadScenarioFile(file), simulatedSeconds);
  const loadBefore = loadavg()[0]!;
  const one = await seedsPerSecond(scenario, seeds, 1);
  const two = await seedsPerSecond(scenario, seeds, 2);
  const result = {
    scenario: file,
    simulatedSeconds,
    seeds,
    oneWorkerSeedsPerSecond: round(one),
    twoWorkersSeedsPerSecond: round(two),
    ratio: round(two / one),
    thousandSeedsSecondsTwoWorkers: round(1000 / two),
    loadAverage: [round(loadBefore), round(loadavg()[0]!)] as [number, number],
  };
  console.log(`sweep: ${file} at ${simulatedSeconds} simulated seconds, ${seeds} seeds per measurement (worker start-up included)`);
  console.log(`  1 worker   ${result.oneWorkerSeedsPerSecond} seeds/s`);
  console.log(`  2 workers  ${result.twoWorkersSeedsPerSecond} seeds/s   ratio ${result.ratio} (target ≥ 1.8)`);
  console.log(`  1,000 seeds on 2 workers: ~${Math.round(result.thousandSeedsSecondsTwoWorkers)} s (target < 60 s)`);
  console.log(`  ${availableParallelism()} cores, load average ${result.loadAverage[0]} before, ${result.loadAverage[1]} after (other work on the machine skews the ratio)`);
  return result;
}

/** The scenario with its safety phase set to `seconds`, as text the workers parse too. */
function withDuration(scenario: Scenario, seconds: number): Scenario {
  const document = parseDocument(scenario.source);
  document.set('duration', `${seconds}s`);
  return parseScenario(document.toString(), scenario.file);
}

async function seedsPerSecond(scenario: Scenario, seeds: number, workers: number): Promise<number> {
  const startedMs = nowMs();
  const executor = await startExecutor(workers, false, []);
  const plan = { scenarios: [scenario], range: { start: 1, count: seeds }, shard: WHOLE_RANGE, swarm: false, checkDeterminism: false, skipLinearizability: false, outDirectory: undefined };
  const summary = await new Sweep(plan, executor).run();
  const elapsedMs = nowMs() - startedMs;
  if (summary.totals.run !== seeds) throw new Error(`the benchmark sweep ran ${summary.totals.run} of ${seeds} seeds (${summary.stopReason ?? summary.status})`);
  return (seeds * 1000) / elapsedMs;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (isMain(import.meta.url)) {
  const seeds = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  await runSweepBench({ seeds });
}
