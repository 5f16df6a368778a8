import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { parseDocument } from 'yaml';
import { loadScenarioFile, parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import { isMain, nowMs } from './measure.js';

const CLI = fileURLToPath(new URL('../../bin/faultline.js', import.meta.url));

export interface SweepBenchOptions {
  /** Default: scenarios/raft-bench.yaml, else scenarios/pb-healthy.yaml. */
  scenarioFile?: string;
  /** Simulated seconds per run; default 10. */
  simulatedSeconds?: number;
  /** Seeds per measurement; default 200. */
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
  // Enough seeds that each worker's warm-up (start-up, cold JIT) is a small part of the time.
  const seeds = options.seeds ?? 200;
  const scenario = withDuration(loadScenarioFile(file), simulatedSeconds);
  const loadBefore = loadavg()[0]!;
  // Alternate and keep the best of two, so a passing burst of other work skews neither side.
  const one = await seedsPerSecond(scenario, seeds, 1);
  const two = await seedsPerSecond(scenario, seeds, 2);
  const oneAgain = await seedsPerSecond(scenario, seeds, 1);
  const twoAgain = await seedsPerSecond(scenario, seeds, 2);
  return report(file, simulatedSeconds, seeds, Math.max(one, oneAgain), Math.max(two, twoAgain), loadBefore);
}

function report(file: string, simulatedSeconds: number, seeds: number, one: number, two: number, loadBefore: number): SweepBenchResult {
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
  console.log(`sweep: ${file} at ${simulatedSeconds} simulated seconds, ${seeds} seeds per measurement, best of two (one faultline sweep process each, start-up included)`);
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

/**
 * Seeds per second of a real `faultline sweep` process, start to finish: a fresh process per
 * measurement, as a user or a CI job runs it, so no measurement inherits another's heap or JIT.
 */
async function seedsPerSecond(scenario: Scenario, seeds: number, workers: number): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'faultline-sweep-bench-'));
  const file = join(directory, 'scenario.yaml');
  writeFileSync(file, scenario.source);
  const startedMs = nowMs();
  const child = spawnSync(process.execPath, [CLI, 'sweep', file, '--seeds', String(seeds), '--workers', String(workers), '--out', join(directory, 'out'), '--json', '--no-check-determinism'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const elapsedMs = nowMs() - startedMs;
  rmSync(directory, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(`the benchmark sweep failed (exit ${child.status}): ${child.stderr.trim().split('\n').at(-1) ?? ''}`);
  const summary = JSON.parse(child.stdout) as { totals: { run: number } };
  if (summary.totals.run !== seeds) throw new Error(`the benchmark sweep ran ${summary.totals.run} of ${seeds} seeds`);
  return (seeds * 1000) / elapsedMs;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (isMain(import.meta.url)) {
  const seeds = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  await runSweepBench({ seeds });
}
