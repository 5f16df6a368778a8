import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { parseDocument } from 'yaml';
import { loadScenarioFile, parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import { isMain, nowMs } from './measure.js';
import { runScenario } from '../run/run-scenario.js';

const CLI = fileURLToPath(new URL('../../bin/faultline.js', import.meta.url));

export interface SweepBenchOptions {
  /** Default: scenarios/raft-bench.yaml, else scenarios/pb-healthy.yaml. */
  scenarioFile?: string;
  /** Simulated seconds per run; default 10. */
  simulatedSeconds?: number;
  /** Seeds per measurement; default 1,000 (the size the target names). */
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
  /**
   * Two independent one-worker `faultline sweep` processes, each on half the seeds, side by side:
   * how far this machine scales this workload with nothing shared at all.
   */
  twoProcessesSeedsPerSecond: number;
  ceilingRatio: number;
  /** Each round's seeds/s: one worker, two workers, two processes. */
  rounds: Round[];
  /** Wall time of the 1,000-seed sweep on two workers (measured when `seeds` is 1,000). */
  thousandSeedsSecondsTwoWorkers: number;
  /** The machine's 1-minute load average before and after: other work skews the ratio. */
  loadAverage: [number, number];
}

/**
 * Sweep throughput: seeds per second through the worker pool with one worker and with two, on
 * the same seeds, end to end (process and worker start-up, cold JIT and linearizability checks
 * included, as a CI sweep pays them), and the same seeds split over two independent processes.
 */
export async function runSweepBench(options: SweepBenchOptions = {}): Promise<SweepBenchResult> {
  const file = options.scenarioFile ?? (existsSync('scenarios/raft-bench.yaml') ? 'scenarios/raft-bench.yaml' : 'scenarios/pb-healthy.yaml');
  const simulatedSeconds = options.simulatedSeconds ?? 10;
  const seeds = options.seeds ?? 1000;
  const scenario = withDuration(loadScenarioFile(file), simulatedSeconds);
  const loadBefore = loadavg()[0]!;
  // Three rounds, each measuring the three set-ups back to back; the machine is shared and its
  // speed drifts from minute to minute, so ratios are taken within a round and the median round
  // is reported.
  const rounds: Round[] = [];
  const half = Math.floor(seeds / 2);
  for (let index = 0; index < ROUNDS; index++) {
    const one = await seedsPerSecond(scenario, [{ start: 1, seeds, workers: 1 }]);
    const two = await seedsPerSecond(scenario, [{ start: 1, seeds, workers: 2 }]);
    const processes = await seedsPerSecond(scenario, [{ start: 1, seeds: half, workers: 1 }, { start: 1 + half, seeds: seeds - half, workers: 1 }]);
    rounds.push({ one, two, processes });
  }
  return report(file, simulatedSeconds, seeds, rounds, loadBefore);
}

const ROUNDS = 3;

interface Round {
  one: number;
  two: number;
  processes: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function report(file: string, simulatedSeconds: number, seeds: number, rounds: Round[], loadBefore: number): SweepBenchResult {
  const one = median(rounds.map((r) => r.one));
  const two = median(rounds.map((r) => r.two));
  const processes = median(rounds.map((r) => r.processes));
  const result = {
    scenario: file,
    simulatedSeconds,
    seeds,
    oneWorkerSeedsPerSecond: round(one),
    twoWorkersSeedsPerSecond: round(two),
    ratio: round(median(rounds.map((r) => r.two / r.one))),
    twoProcessesSeedsPerSecond: round(processes),
    ceilingRatio: round(median(rounds.map((r) => r.processes / r.one))),
    thousandSeedsSecondsTwoWorkers: round(1000 / two),
    loadAverage: [round(loadBefore), round(loadavg()[0]!)] as [number, number],
    rounds: rounds.map((r) => ({ one: round(r.one), two: round(r.two), processes: round(r.processes) })),
  };
  const perRound = (pick: (r: Round) => number) => rounds.map((r) => round(pick(r))).join(', ');
  console.log(`sweep: ${file} at ${simulatedSeconds} simulated seconds, ${seeds} seeds per measurement, ${ROUNDS} rounds, medians (fresh faultline sweep processes, start-up included)`);
  console.log(`  1 worker                       ${result.oneWorkerSeedsPerSecond} seeds/s   (rounds: ${perRound((r) => r.one)})`);
  console.log(`  2 workers                      ${result.twoWorkersSeedsPerSecond} seeds/s   ratio ${result.ratio} (target ≥ 1.8; rounds: ${perRound((r) => r.two / r.one)})`);
  console.log(`  2 separate 1-worker processes  ${result.twoProcessesSeedsPerSecond} seeds/s   ratio ${result.ceilingRatio} (nothing shared; rounds: ${perRound((r) => r.processes / r.one)})`);
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

interface SweepProcess {
  start: number;
  seeds: number;
  workers: number;
}

/**
 * Seeds per second of real `faultline sweep` processes started together, from the first start to
 * the last exit: a fresh process per measurement, as a user or a CI job runs it, so no
 * measurement inherits another's heap or JIT.
 */
async function seedsPerSecond(scenario: Scenario, processes: SweepProcess[]): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'faultline-sweep-bench-'));
  const file = join(directory, 'scenario.yaml');
  writeFileSync(file, scenario.source);
  const startedMs = nowMs();
  const outputs = await Promise.all(processes.map((sweep, index) => runSweep(file, sweep, join(directory, `out-${index}`))));
  const elapsedMs = nowMs() - startedMs;
  rmSync(directory, { recursive: true, force: true });
  const seeds = processes.reduce((total, sweep) => total + sweep.seeds, 0);
  const ran = outputs.reduce((total, output) => total + (JSON.parse(output) as { totals: { run: number } }).totals.run, 0);
  if (ran !== seeds) throw new Error(`the benchmark sweep ran ${ran} of ${seeds} seeds`);
  return (seeds * 1000) / elapsedMs;
}

function runSweep(file: string, sweep: SweepProcess, out: string): Promise<string> {
  const args = [CLI, 'sweep', file, '--start', String(sweep.start), '--seeds', String(sweep.seeds), '--workers', String(sweep.workers), '--out', out, '--json', '--no-check-determinism'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`the benchmark sweep failed (${error.message.split('\n')[0]}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
    });
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** One pass-expected scenario's checking share, with and without the run's certificate. */
export interface CheckShareRow {
  scenario: string;
  seeds: number;
  /** Wall time of the runs (simulation and checks), ms, and the part spent checking linearizability. */
  withCertificate: { runMs: number; checkMs: number; decidedBy: Record<string, number> };
  withoutCertificate: { runMs: number; checkMs: number };
}

/**
 * `node dist/bench/sweep-bench.js --check-share [seeds]`: for every pass-expected scenario with a
 * linearizability model, runs the seeds in this process twice, with the certificate (the order
 * in which nodes answered, handed to the checker) and without, and reports the share of the
 * sweep's time spent checking. Each scenario is run once first to warm the JIT.
 */
export function runCheckShareBench(seeds = 3): CheckShareRow[] {
  const rows: CheckShareRow[] = [];
  for (const file of readdirSync('scenarios').filter((name) => name.endsWith('.yaml')).sort()) {
    const scenario = loadScenarioFile(join('scenarios', file));
    if (scenario.expect !== 'pass' || scenario.check.model === undefined) continue;
    runScenario(scenario, { seed: 1 });
    const row: CheckShareRow = { scenario: file, seeds, withCertificate: { runMs: 0, checkMs: 0, decidedBy: {} }, withoutCertificate: { runMs: 0, checkMs: 0 } };
    for (let seed = 1; seed <= seeds; seed++) {
      for (const certificate of [true, false]) {
        const start = nowMs();
        const output = runScenario(scenario, { seed, certificate });
        const runMs = nowMs() - start;
        const checkMs = output.checked?.elapsedMs ?? 0;
        const side = certificate ? row.withCertificate : row.withoutCertificate;
        side.runMs += runMs;
        side.checkMs += checkMs;
        const decidedBy = output.result.linearizability?.decidedBy;
        if (certificate && decidedBy !== undefined) row.withCertificate.decidedBy[decidedBy] = (row.withCertificate.decidedBy[decidedBy] ?? 0) + 1;
      }
    }
    rows.push(row);
    const share = (side: { runMs: number; checkMs: number }) => `${((100 * side.checkMs) / side.runMs).toFixed(1)}% of ${side.runMs.toFixed(0)} ms`;
    const decided = Object.entries(row.withCertificate.decidedBy).map(([path, count]) => `${path} ×${count}`).join('; ');
    console.log(`  ${file.padEnd(34)} checking: with certificate ${share(row.withCertificate).padEnd(18)} without ${share(row.withoutCertificate).padEnd(18)} decided by: ${decided}`);
  }
  const total = (pick: (row: CheckShareRow) => { runMs: number; checkMs: number }) => {
    const runMs = rows.reduce((sum, row) => sum + pick(row).runMs, 0);
    const checkMs = rows.reduce((sum, row) => sum + pick(row).checkMs, 0);
    return `${((100 * checkMs) / runMs).toFixed(1)}% (${checkMs.toFixed(0)} of ${runMs.toFixed(0)} ms)`;
  };
  const over = rows.filter((row) => row.withCertificate.checkMs > 0.1 * row.withCertificate.runMs).map((row) => row.scenario);
  console.log(`  all ${rows.length} pass-expected scenarios, ${seeds} seeds each: checking ${total((row) => row.withCertificate)} with the certificate, ${total((row) => row.withoutCertificate)} without`);
  console.log(`  scenarios where checking is ≥ 10% with the certificate: ${over.length === 0 ? 'none' : over.join(', ')}`);
  return rows;
}

if (isMain(import.meta.url)) {
  if (process.argv[2] === '--check-share') {
    console.log('checking share of sweep time, pass-expected scenarios, with and without the certificate (in-process runs)');
    runCheckShareBench(process.argv[3] === undefined ? undefined : Number(process.argv[3]));
  } else {
    const seeds = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
    await runSweepBench({ seeds });
  }
}
