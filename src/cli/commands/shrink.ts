import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { importedModules, importFlags, recordedSpecifiers, unionOfImports } from '../../run/imported-modules.js';
import { readResultFile } from '../../run/replay.js';
import { parseDuration } from '../../scenario/duration.js';
import { formatMicros, toMillis } from '../../sim/time.js';
import { describeSignature } from '../../shrink/failure-signature.js';
import { shrinkRun, type RunSize, type ShrinkOutcome } from '../../shrink/shrink.js';
import { loadSetupModules } from '../../sweep/setup-modules.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { ExitCode, InputError } from '../../util/errors.js';
import { ensureOutputFile } from '../../util/output-directory.js';
import { painterFor } from '../io.js';
import type { CommandContext } from '../context.js';
import { collect, shellQuote } from './shared.js';
import { shrinkPagePath, writeShrinkReport } from '../../report/shrink-page/write-shrink-report.js';

interface ShrinkFlags {
  out?: string;
  timeLimit: string;
  import: string[];
  quiet?: boolean;
}

export function registerShrink(program: Command, context: CommandContext): void {
  program
    .command('shrink')
    .description('minimise a failing run to a small scenario that still fails the same way')
    .argument('<result>', 'a result.json of a failing run (from faultline run or sweep)')
    .option('-o, --out <file>', 'where to write the minimal scenario (default: shrunk.yaml beside the result)')
    .option('--time-limit <duration>', 'stop reducing after this long and keep the best so far', '60s')
    .option('--import <module>', 'a JavaScript module that registers protocols (repeatable)', collect, [])
    .option('-q, --quiet', 'no progress lines')
    .action(async (path: string, flags: ShrinkFlags) => {
      const io = context.io;
      const given = importedModules(flags.import, io.cwd);
      await loadSetupModules(given.map((module) => module.resolved));
      const timeLimit = parseDuration(flags.timeLimit);
      if (timeLimit === undefined) throw new InputError(`expected --time-limit as a duration such as 30s or 2m (got ${JSON.stringify(flags.timeLimit)})`);
      const resultPath = resolve(io.cwd, path);
      const recorded = readResultFile(resultPath);
      await loadSetupModules(recordedSpecifiers(recorded.imports, io.cwd, resultPath));
      // The shrunk scenario's reproduce command needs every module, recorded or given now.
      const original = { ...recorded, imports: unionOfImports([recorded.imports, given]) };
      const out = flags.out === undefined ? join(dirname(resultPath), 'shrunk.yaml') : resolve(io.cwd, flags.out);
      ensureOutputFile(out, '--out');
      let reported = { pass: 'start', accepted: 0 };
      const live = io.isTty && flags.quiet !== true ? liveLine(io.err) : undefined;
      const outcome = shrinkRun(original, {
        timeLimitMs: toMillis(timeLimit),
        source: relative(io.cwd, resultPath),
        cwd: io.cwd,
        onProgress: (progress) => {
          if (flags.quiet === true) return;
          live?.show(`shrink: ${progress.runs} runs tried, now ${progress.best.events} events, ${progress.best.operations.invoked} operations (${progress.pass})`);
          // One line per pass that made the run smaller, when the next pass starts.
          if (progress.pass === reported.pass) return;
          if (progress.accepted > reported.accepted) {
            live?.clear();
            io.err(`shrink: ${reported.pass}: ${progress.best.events} events, ${progress.best.operations.invoked} operations (${progress.runs} runs)\n`);
          }
          reported = { pass: progress.pass, accepted: progress.accepted };
        },
      });
      live?.clear();
      writeFileAtomic(out, outcome.yaml);
      const page = writeShrinkReport({ path: shrinkPagePath(out), original, outcome, yamlFile: relative(io.cwd, out) || out, source: relative(io.cwd, resultPath) });
      io.out(renderOutcome(outcome, relative(io.cwd, out) || out, importFlags(original.imports, io.cwd), painterFor(io).bold, flags.timeLimit) + `  ${'page'.padEnd(14)} ${relative(io.cwd, page) || page}
`);
      context.exitCode = ExitCode.pass;
    });
}

/** One line a terminal rewrites in place, at most ten times a second. */
function liveLine(write: (text: string) => void): { show(text: string): void; clear(): void } {
  let shownAt = -Infinity;
  let shown = false;
  return {
    show(text) {
      const now = performance.now(); // wall clock ok: redraw cadence only
      if (now - shownAt < 100) return;
      shownAt = now;
      shown = true;
      write(`\r\u001b[K${text}`);
    },
    clear() {
      if (shown) write('\r\u001b[K');
      shown = false;
    },
  };
}

/** Why the search ended: a limit, or no pass could make the run any smaller. */
function stoppedBecause(outcome: ShrinkOutcome, timeLimit: string): string {
  const events = `${outcome.after.events} events, ${outcome.after.operations} operations, ${outcome.after.faults} faults`;
  if (outcome.timedOut) return `the time limit (${timeLimit}) was reached after ${outcome.runs} runs; the smallest found so far: ${events} (--time-limit to search longer)`;
  return `no pass could make it smaller after ${outcome.runs} runs: ${events}`;
}

function renderOutcome(outcome: ShrinkOutcome, out: string, imports: string, bold: (text: string) => string, timeLimit: string): string {
  const row = (label: string, before: string, after: string, ratio: string) => `  ${label.padEnd(14)} ${before.padStart(12)}  →  ${after.padStart(12)}  ${ratio}\n`;
  const ratio = (before: number, after: number) => (after === 0 ? '' : before === after ? '' : `(${(before / after).toFixed(1)}× smaller)`);
  const size = (label: string, pick: (size: RunSize) => number, format: (value: number) => string = String) =>
    row(label, format(pick(outcome.before)), format(pick(outcome.after)), ratio(pick(outcome.before), pick(outcome.after)));
  return [
    bold(`faultline shrink: ${describeSignature(outcome.failure)}`) + '\n',
    size('faults', (s) => s.faults),
    size('operations', (s) => s.operations),
    size('events', (s) => s.events),
    size('simulated', (s) => s.simulatedTime, formatMicros),
    `  ${'runs'.padEnd(14)} ${outcome.runs}${outcome.timedOut ? ' (time limit reached: the best found so far)' : ''}\n`,
    `  ${'stopped'.padEnd(14)} ${stoppedBecause(outcome, timeLimit)}\n`,
    `  ${'written'.padEnd(14)} ${out}\n`,
    `  ${'reproduce'.padEnd(14)} faultline run ${shellQuote(out)}${imports}\n`,
  ].join('');
}


