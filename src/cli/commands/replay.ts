import type { Command } from 'commander';
import { renderRunSummary } from '../../report/summary.js';
import { importedModules, recordedSpecifiers } from '../../run/imported-modules.js';
import { readResultFile, replayResult } from '../../run/replay.js';
import { ExitCode } from '../../util/errors.js';
import { painterFor } from '../io.js';
import type { CommandContext } from '../context.js';
import { loadSetupModules } from '../../sweep/setup-modules.js';
import { collect } from './shared.js';

export function registerReplay(program: Command, context: CommandContext): void {
  program
    .command('replay')
    .description('re-run the scenario and seed of a result.json and check the trace hash matches')
    .argument('<result>', 'a result.json written by faultline run or sweep')
    .option('--json', 'machine-readable output')
    .option('--import <module>', 'a JavaScript module that registers protocols (repeatable)', collect, [])
    .action(async (path: string, flags: { json?: boolean; import: string[] }) => {
      const io = context.io;
      await loadSetupModules(importedModules(flags.import, io.cwd).map((module) => module.resolved));
      const original = readResultFile(path);
      await loadSetupModules(recordedSpecifiers(original.imports, io.cwd, path));
      const report = replayResult(original, path);
      if (flags.json === true) {
        io.out(JSON.stringify({ matches: report.matches, original: report.original.traceHash, replay: report.replay.result.traceHash, divergence: report.divergence, buildMismatch: report.buildMismatch }, null, 2) + '\n');
      } else {
        io.out(renderRunSummary(report.replay.result, painterFor(io)));
        if (report.matches) {
          io.out(`  replay       trace hash ${report.original.traceHash} matches: the run reproduced exactly\n`);
        } else {
          const d = report.divergence!;
          io.err(`faultline: replay diverged: trace hash ${report.replay.result.traceHash}, expected ${report.original.traceHash}\n`);
          if (report.buildMismatch !== undefined) io.err(`  ${report.buildMismatch}\n`);
          if (d.eventIndex !== undefined) {
            io.err(`  first differing event #${d.eventIndex}\n    expected: ${d.expected}\n    actual:   ${d.actual}\n`);
          } else {
            // The result keeps hash checkpoints, not events: the window is all that is known.
            io.err(
              `  the runs agree before event #${d.windowStart}; the first differing event is one of #${d.windowStart}..#${d.windowEnd}, and which one cannot be told: ` +
                `the result keeps no events to compare (a run with --trace keeps trace.jsonl beside result.json, and replay then names the event)\n`,
            );
          }
        }
      }
      context.exitCode = report.matches ? ExitCode.pass : ExitCode.checkFailed;
    });
}
