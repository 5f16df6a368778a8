import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { createProgress } from '../../sweep/progress.js';
import { planScenarios } from '../../sweep/plan-scenarios.js';
import { parseShard, shardRange, WHOLE_RANGE } from '../../sweep/seed-range.js';
import { importedModules } from '../../run/imported-modules.js';
import { loadSetupModules } from '../../sweep/setup-modules.js';
import { parseWorkerCount, resolveWorkerCount, startExecutor } from '../../sweep/start-executor.js';
import { writeSweepFiles } from '../../sweep/sweep-files.js';
import { sweepExitCode } from '../../sweep/sweep-exit-code.js';
import { claimSweepFolder } from '../../sweep/out-folder.js';
import { onStopSignals, signalExitCode } from '../stop-signals.js';
import { renderSweepSummary } from '../../sweep/summary-text.js';
import { Sweep } from '../../sweep/sweep.js';
import { requiredMarks } from '../../sweep/required-marks.js';
import { unreachedMarks } from '../../sweep/marks.js';
import { ExitCode, InputError } from '../../util/errors.js';
import { ensureOutputDirectory } from '../../util/output-directory.js';
import { painterFor } from '../io.js';
import type { CommandContext } from '../context.js';
import { parseSeed, collect } from './shared.js';

interface SweepFlags {
  seeds: string;
  start: string;
  swarm?: boolean;
  workers: string;
  shard?: string;
  out: string;
  checkDeterminism?: boolean;
  skipLinearizability?: boolean;
  import: string[];
  json?: boolean;
  requireMarks?: string;
  force?: boolean;
}

/** A snapshot of summary.json while the sweep runs, so even a killed sweep leaves one behind. */
const SNAPSHOT_INTERVAL_MS = 10_000;

export function registerSweep(program: Command, context: CommandContext): void {
  program
    .command('sweep')
    .description('run scenarios over many seeds on worker threads; write failing seeds, summary.json and junit.xml')
    .argument('<scenario...>', 'scenario YAML files')
    .option('-n, --seeds <n>', 'how many seeds', '100')
    .option('--start <s>', 'the first seed', '1')
    .option('--swarm', 'let every seed draw its own fault mix (swarm testing)')
    .option('-w, --workers <auto|k>', 'worker threads: auto (one per core) or a number; 0 runs in this thread', 'auto')
    .option('--shard <i/n>', 'run only slice i of n of the seed range (for CI matrices)')
    .option('-o, --out <dir>', 'output folder', 'reports/sweep')
    .option('--force', "reuse a non-empty --out: first remove the previous sweep's summary, junit.xml and failures")
    .option('--check-determinism', 'run every seed twice on different workers and compare trace hashes (default when CI=true)')
    .option('--no-check-determinism', 'do not, even when CI=true')
    .option('--skip-linearizability', 'check invariants only (faster)')
    .option('--import <module>', 'a JavaScript module that registers protocols, loaded in every worker (repeatable)', collect, [])
    .option('--json', 'print summary.json to stdout instead of the text summary')
    .option('--require-marks <a,b,...>', 'fail (exit 1) when one of these coverage marks was reached by no seed')
    .action(async (files: string[], flags: SweepFlags) => {
      context.exitCode = await sweepCommand(files, flags, context);
    });
}

async function sweepCommand(files: string[], flags: SweepFlags, context: CommandContext): Promise<number> {
  // SIGINT (Ctrl-C) and SIGTERM (timeout, CI cancellation, docker stop) both stop the sweep
  // cleanly, from the first instant: summary.json and junit.xml of what ran, then 130 or 143.
  const controller = new AbortController();
  const signals = onStopSignals((signal) => controller.abort(signal));
  let release = (): void => {};
  try {
    return await sweepUntil(files, flags, context, controller.signal, (claimed) => (release = claimed));
  } finally {
    release();
    signals.off();
  }
}

async function sweepUntil(files: string[], flags: SweepFlags, context: CommandContext, signal: AbortSignal, claimed: (release: () => void) => void): Promise<number> {
  const io = context.io;
  const imports = importedModules(flags.import, io.cwd);
  const setupModules = imports.map((module) => module.resolved);
  await loadSetupModules(setupModules);
  const scenarios = planScenarios(files.map((file) => resolve(io.cwd, file)).map((file) => relative(io.cwd, file) || file), flags.swarm === true);
  const required = requiredMarks(flags.requireMarks, scenarios);
  const count = parseSeed(flags.seeds);
  if (count === 0) throw new InputError('expected --seeds to be at least 1');
  const range = { start: parseSeed(flags.start), count };
  const shard = flags.shard === undefined ? WHOLE_RANGE : parseShard(flags.shard);
  const checkDeterminism = flags.checkDeterminism ?? process.env.CI === 'true';
  const out = resolve(io.cwd, flags.out);
  ensureOutputDirectory(out);
  claimed(claimSweepFolder(out, flags.force === true)); // one sweep per folder, and no stale files
  const workers = parseWorkerCount(flags.workers);
  const { capped, count: cores } = resolveWorkerCount(workers);
  if (capped !== undefined) io.err(`faultline: --workers ${capped} is more than the ${cores} cores of this machine; using ${cores}\n`);
  const executor = await startExecutor(workers, checkDeterminism, setupModules);
  const plan = { scenarios, range, shard, swarm: flags.swarm === true, checkDeterminism, skipLinearizability: flags.skipLinearizability === true, outDirectory: out, imports };
  const progress = createProgress({ tty: io.isTty, total: shardRange(range, shard).count * scenarios.length, write: io.err });
  const sweep = new Sweep(plan, executor, { onSeed: (scenario, run) => progress.seedDone(scenario, run) });
  const snapshots = setInterval(() => writeSweepFiles(out, sweep.summary()), SNAPSHOT_INTERVAL_MS); // wall clock ok: snapshot cadence
  try {
    const summary = await sweep.run(signal);
    progress.stop();
    writeSweepFiles(out, summary);
    if (flags.json === true) io.out(JSON.stringify(summary, null, 2) + '\n');
    else io.out(renderSweepSummary(summary, painterFor(io), out, io.cwd) + `  ${'written'.padEnd(12)} ${relative(io.cwd, out) || '.'}/summary.json, summary.html, junit.xml
`);
    const code = sweepExitCode(summary, signalExitCode(signal.reason));
    const unreached = unreachedMarks(required, summary.scenarios);
    if (unreached.length === 0) return code;
    io.err(`faultline: required marks never reached: ${unreached.join(', ')}\n`);
    return code === ExitCode.pass ? ExitCode.checkFailed : code;
  } finally {
    clearInterval(snapshots);
  }
}


