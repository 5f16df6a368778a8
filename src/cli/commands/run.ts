import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { writeRunOutput } from '../../report/write-run.js';
import { writeRunReport } from '../../report/run-page/write-run-report.js';
import { renderAsciiDiagram } from '../../report/ascii-diagram.js';
import { violationTime } from '../../report/violation-time.js';
import type { RunOutput } from '../../run/run-result.js';
import { formatMicros } from '../../sim/time.js';
import type { MessageRenderer } from '../../trace/render.js';
import { InputError } from '../../util/errors.js';
import { renderRunSummary } from '../../report/summary.js';
import { exitCodeFor, expectedExitCode } from '../../run/exit-code.js';
import { runScenario } from '../../run/run-scenario.js';
import { loadScenarioFile } from '../../scenario/load.js';
import { ensureOutputDirectory } from '../../util/output-directory.js';
import { painterFor } from '../io.js';
import type { CommandContext } from '../context.js';
import { importedModules, importFlags } from '../../run/imported-modules.js';
import { loadSetupModules } from '../../sweep/setup-modules.js';
import { withSwarm } from '../../sweep/plan-scenarios.js';
import { collect, messageRenderer, outputDirectory, parseSeed, shellQuote } from './shared.js';

interface RunFlags {
  seed?: string;
  out?: string;
  trace?: boolean;
  json?: boolean;
  html: string | boolean;
  diagram?: string | boolean;
  import: string[];
  rawExitCode?: boolean;
  swarm?: boolean;
}

export function registerRun(program: Command, context: CommandContext): void {
  program
    .command('run')
    .description('run a scenario once under its faults, check it, and write result.json')
    .argument('<scenario>', 'a scenario YAML file')
    .option('-s, --seed <n>', 'the seed (default: the scenario\'s own)')
    .option('--swarm', 'let the seed draw its own fault mix, as `sweep --swarm` does (re-runs a swarm seed of a sweep)')
    .option('-o, --out <dir>', 'where to write the result (default: reports/<scenario>/<seed>/)')
    .option('-t, --trace', 'also write every event to trace.jsonl')
    .option('--json', 'print result.json to stdout instead of the summary')
    .option('--html [file]', 'write the run report there (default: report.html beside result.json)')
    .option('--no-html', 'do not write the run report (nor keep the trace for it)')
    .option('--diagram [events]', 'print an ASCII space-time diagram of the last events before the violation (default 40)')
    .option('--import <module>', 'a JavaScript module that registers protocols (repeatable)', collect, [])
    .option('--raw-exit-code', "exit with the verdict's own code (1 for not-linearizable) even when the scenario expects it")
    .action(async (file: string, flags: RunFlags) => {
      const io = context.io;
      const imports = importedModules(flags.import, io.cwd);
      await loadSetupModules(imports.map((module) => module.resolved));
      // As in a sweep: written into the scenario text, so result.json replays on its own.
      const scenario = withSwarm(loadScenarioFile(file), flags.swarm === true);
      const seed = flags.seed === undefined ? scenario.seed : parseSeed(flags.seed);
      const diagramEvents = flags.diagram === undefined ? undefined : parseDiagramCount(flags.diagram);
      const directory = outputDirectory(io.cwd, flags.out, scenario.name, seed);
      ensureOutputDirectory(directory);
      const htmlFile = typeof flags.html === 'string' ? resolve(io.cwd, flags.html) : undefined;
      if (htmlFile !== undefined) ensureOutputDirectory(dirname(htmlFile), '--html');
      const output = runScenario(scenario, { seed, keepTrace: flags.trace === true || flags.html !== false || diagramEvents !== undefined, imports });
      const render = messageRenderer(scenario.protocol.name);
      const written = writeRunOutput(directory, output, render, { trace: flags.trace === true });
      const shown = (path: string) => {
        const relativePath = relative(io.cwd, path);
        return relativePath.startsWith('..') ? path : relativePath;
      };
      const resultPath = shown(written.result);
      let reportPath: string | undefined;
      if (flags.html !== false) {
        reportPath = htmlFile ?? join(directory, 'report.html');
        writeRunReport(reportPath, output, render, resultPath);
      }
      if (flags.json === true) io.out(JSON.stringify(output.result, null, 2) + '\n');
      else io.out(renderRunSummary(output.result, painterFor(io), { result: resultPath, report: reportPath === undefined ? undefined : shown(reportPath), replay: `faultline replay ${shellQuote(resultPath)}${importFlags(imports, io.cwd)}` }));
      if (diagramEvents !== undefined && flags.json !== true) io.out('\n' + diagramOf(output, diagramEvents, render));
      const { kind } = output.result.verdict;
      context.exitCode = flags.rawExitCode === true ? exitCodeFor(kind) : expectedExitCode(kind, output.result.expected);
    });
}

function parseDiagramCount(value: string | boolean): number {
  if (value === true) return 40;
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 1) throw new InputError(`expected --diagram to be a positive number of events, got ${JSON.stringify(value)}`);
  return count;
}

function diagramOf(output: RunOutput, count: number, renderMessage: MessageRenderer): string {
  const until = violationTime(output);
  const shape = output.shape!;
  return renderAsciiDiagram(output.trace ?? [], {
    nodeCount: shape.nodeCount,
    clientCount: shape.clientCount,
    processClients: output.processClients ?? [],
    renderMessage,
    count,
    until,
    heading: until === undefined ? 'at the end of the run' : `up to the violation (${output.result.verdict.kind} at ${formatMicros(until)})`,
  });
}
