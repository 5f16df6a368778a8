import { relative } from 'node:path';
import type { Command } from 'commander';
import { writeRunOutput } from '../../report/write-run.js';
import { renderRunSummary } from '../../report/summary.js';
import { exitCodeFor } from '../../run/exit-code.js';
import { runScenario } from '../../run/run-scenario.js';
import { loadScenarioFile } from '../../scenario/load.js';
import { ensureOutputDirectory } from '../../util/output-directory.js';
import { painterFor } from '../io.js';
import type { CommandContext } from '../program.js';
import { loadSetupModules, toModuleSpecifier } from '../../sweep/setup-modules.js';
import { collect, messageRenderer, outputDirectory, parseSeed, shellQuote } from './shared.js';

interface RunFlags {
  seed?: string;
  out?: string;
  trace?: boolean;
  json?: boolean;
  import: string[];
}

export function registerRun(program: Command, context: CommandContext): void {
  program
    .command('run')
    .description('run a scenario once under its faults, check it, and write result.json')
    .argument('<scenario>', 'a scenario YAML file')
    .option('-s, --seed <n>', 'the seed (default: the scenario\'s own)')
    .option('-o, --out <dir>', 'where to write the result (default: reports/<scenario>/<seed>/)')
    .option('-t, --trace', 'also write every event to trace.jsonl')
    .option('--json', 'print result.json to stdout instead of the summary')
    .option('--import <module>', 'a JavaScript module that registers protocols (repeatable)', collect, [])
    .action(async (file: string, flags: RunFlags) => {
      const io = context.io;
      await loadSetupModules(flags.import.map((module) => toModuleSpecifier(module, io.cwd)));
      const scenario = loadScenarioFile(file);
      const seed = flags.seed === undefined ? scenario.seed : parseSeed(flags.seed);
      const directory = outputDirectory(io.cwd, flags.out, scenario.name, seed);
      ensureOutputDirectory(directory);
      const output = runScenario(scenario, { seed, keepTrace: flags.trace === true });
      const written = writeRunOutput(directory, output, messageRenderer(scenario.protocol.name));
      const relativePath = relative(io.cwd, written.result);
      const resultPath = relativePath.startsWith('..') ? written.result : relativePath;
      if (flags.json === true) io.out(JSON.stringify(output.result, null, 2) + '\n');
      else io.out(renderRunSummary(output.result, painterFor(io), { result: resultPath, replay: `faultline replay ${shellQuote(resultPath)}` }));
      context.exitCode = exitCodeFor(output.result.verdict.kind);
    });
}
