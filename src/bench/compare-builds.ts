import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMain, nowMs } from './measure.js';

/**
 * Compares two builds of faultline on one scenario, run by run: A, B, B, A, A, B… The machine is shared and its speed drifts from second to second, so two whole-benchmark
 * invocations minutes apart cannot tell a 3% change from noise; adjacent runs share the
 * machine's state, and the median of their ratios can. Each build is measured in both load
 * orders, each in a fresh process (the build loaded second tends to run a little faster on its
 * own), and the geometric mean of the two is reported.
 *
 *   node dist/bench/compare-builds.js <baseline dist> <candidate dist> [pairs] [scenario]
 *
 * A baseline dist comes from a worktree of the commit to compare against:
 *   git worktree add /tmp/base <commit> && (cd /tmp/base && ln -s "$PWD/node_modules" && npx tsc -p tsconfig.build.json)
 */
export interface BuildComparison {
  /** Candidate speed over baseline speed; above 1 means the candidate is faster. */
  speedup: number;
  /** The two orders' medians of baseline time / candidate time. */
  orders: [number, number];
  baselineMedianMs: number;
  candidateMedianMs: number;
}

type RunOnce = () => number;

async function loadRunner(dist: string, scenarioFile: string): Promise<RunOnce> {
  const base = pathToFileURL(resolve(dist) + '/').href;
  const { runScenario } = (await import(new URL('run/run-scenario.js', base).href)) as typeof import('../run/run-scenario.js');
  const { loadScenarioFile } = (await import(new URL('scenario/load.js', base).href)) as typeof import('../scenario/load.js');
  const scenario = loadScenarioFile(scenarioFile);
  return () => {
    const start = nowMs();
    runScenario(scenario, { seed: 1, skipLinearizability: true });
    return nowMs() - start;
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Median of baseline/candidate time ratios over `pairs` adjacent pairs, alternating which runs first. */
function pairedRatios(baseline: RunOnce, candidate: RunOnce, pairs: number): { ratio: number; baselineMs: number[]; candidateMs: number[] } {
  for (let i = 0; i < 5; i++) {
    baseline();
    candidate();
  }
  const baselineMs: number[] = [];
  const candidateMs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    let a: number;
    let b: number;
    if (i % 2 === 0) {
      a = baseline();
      b = candidate();
    } else {
      b = candidate();
      a = baseline();
    }
    baselineMs.push(a);
    candidateMs.push(b);
    ratios.push(a / b);
  }
  return { ratio: median(ratios), baselineMs, candidateMs };
}

/**
 * One load order, measured in its own process so each order gets fresh modules: the median of
 * baseline/candidate ratios and each build's median run.
 */
async function oneOrder(baselineDist: string, candidateDist: string, baselineFirst: boolean, pairs: number, scenarioFile: string) {
  let baseline: RunOnce;
  let candidate: RunOnce;
  if (baselineFirst) {
    baseline = await loadRunner(baselineDist, scenarioFile);
    candidate = await loadRunner(candidateDist, scenarioFile);
  } else {
    candidate = await loadRunner(candidateDist, scenarioFile);
    baseline = await loadRunner(baselineDist, scenarioFile);
  }
  const measured = pairedRatios(baseline, candidate, pairs);
  return { ratio: measured.ratio, baselineMedianMs: median(measured.baselineMs), candidateMedianMs: median(measured.candidateMs) };
}

type OrderResult = Awaited<ReturnType<typeof oneOrder>>;

function runOrderInChild(args: string[]): OrderResult {
  const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one-order', ...args], { encoding: 'utf8' });
  return JSON.parse(output) as OrderResult;
}

export function compareBuilds(baselineDist: string, candidateDist: string, pairs = 60, scenarioFile = 'scenarios/raft-bench.yaml'): BuildComparison {
  const common = [baselineDist, candidateDist, String(pairs), scenarioFile];
  const baselineFirst = runOrderInChild(['baseline-first', ...common]);
  const candidateFirst = runOrderInChild(['candidate-first', ...common]);
  return {
    speedup: Math.sqrt(baselineFirst.ratio * candidateFirst.ratio),
    orders: [baselineFirst.ratio, candidateFirst.ratio],
    baselineMedianMs: (baselineFirst.baselineMedianMs + candidateFirst.baselineMedianMs) / 2,
    candidateMedianMs: (baselineFirst.candidateMedianMs + candidateFirst.candidateMedianMs) / 2,
  };
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--one-order') {
    const [, order, baseline, candidate, pairs, scenario] = args as [string, string, string, string, string, string];
    console.log(JSON.stringify(await oneOrder(baseline, candidate, order === 'baseline-first', Number(pairs), scenario)));
  } else {
    const [baseline, candidate, pairs, scenario] = args;
    if (baseline === undefined || candidate === undefined) {
      console.error('usage: node dist/bench/compare-builds.js <baseline dist> <candidate dist> [pairs] [scenario]');
      process.exit(2);
    }
    const result = compareBuilds(baseline, candidate, pairs === undefined ? 60 : Number(pairs), scenario);
    console.log(`baseline  median ${result.baselineMedianMs.toFixed(1)} ms per run`);
    console.log(`candidate median ${result.candidateMedianMs.toFixed(1)} ms per run`);
    console.log(`speedup   ${result.speedup.toFixed(3)} (baseline loaded first ${result.orders[0].toFixed(3)}, candidate first ${result.orders[1].toFixed(3)})`);
  }
}
