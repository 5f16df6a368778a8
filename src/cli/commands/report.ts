import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { writeRunReport } from '../../report/run-page/write-run-report.js';
import { readResultFile, replayResult } from '../../run/replay.js';
import { parseScenario } from '../../scenario/load.js';
import { recordedSpecifiers, toModuleSpecifier } from '../../run/imported-modules.js';
import { loadSetupModules } from '../../sweep/setup-modules.js';
import { ExitCode } from '../../util/errors.js';
import type { CommandContext } from '../context.js';
import { collect, messageRenderer } from './shared.js';

interface ReportFlags {
  out?: string;
  import: string[];
}

/**
 * `faultline report <result.json>`: replays the recorded run (the result embeds its scenario and
 * seed) with its trace kept and draws the run report from the replay. A replay that diverges
 * still gets its page, but the command says so and exits 1: the page shows the replay, not the
 * recorded run.
 */
export function registerReport(program: Command, context: CommandContext): void {
  program
    .command('report')
    .description('re-render the HTML run report of a result.json from a replay')
    .argument('<result>', 'a result.json written by faultline run or sweep')
    .option('-o, --out <file>', 'where to write the page (default: report.html beside the result)')
    .option('--import <module>', 'a JavaScript module that registers protocols (repeatable)', collect, [])
    .action(async (path: string, flags: ReportFlags) => {
      const io = context.io;
      await loadSetupModules(flags.import.map((module) => toModuleSpecifier(module, io.cwd)));
      const resultPath = resolve(io.cwd, path);
      const original = readResultFile(resultPath);
      await loadSetupModules(recordedSpecifiers(original.imports, io.cwd, resultPath));
      const replay = replayResult(original, resultPath);
      const scenario = parseScenario(replay.original.scenarioSource, replay.original.scenarioFile ?? resultPath);
      const out = flags.out === undefined ? join(dirname(resultPath), 'report.html') : resolve(io.cwd, flags.out);
      writeRunReport(out, replay.replay, messageRenderer(scenario.protocol.name), path);
      io.out(`faultline report: ${relative(io.cwd, out) || out} (${replay.replay.result.traceEvents.toLocaleString('en-US')} events, verdict ${replay.replay.result.verdict.kind})\n`);
      if (!replay.matches) {
        io.err(`faultline: the replay diverged (trace hash ${replay.replay.result.traceHash}, recorded ${replay.original.traceHash}): the page shows the replay\n`);
        if (replay.buildMismatch !== undefined) io.err(`  ${replay.buildMismatch}\n`);
      }
      context.exitCode = replay.matches ? ExitCode.pass : ExitCode.checkFailed;
    });
}

