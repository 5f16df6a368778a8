import { writeFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { checkHistory, modelNames, type AnyModel } from '../../check/index.js';
import { configuredModel } from '../../check/models/configured-model.js';
import { nilReadsNames, type NilReads, type RegisterOptions } from '../../check/models/model-options.js';
import { readEdnValue } from '../../check/parse/edn-scalar.js';
import { defaultModelFor, historyFormats, parseHistoryFile, type HistoryFormat } from '../../check/parse/parse-history.js';
import { defaultFailSemantics, failSemanticsNames, type FailSemantics } from '../../check/semantics.js';
import type { Json } from '../../history/operation.js';
import { renderCheckReport, checkResultJson } from '../../check/render-text.js';
import { checkConsistency, type ConsistencyReport } from '../../check/consistency/check-consistency.js';
import { consistencyModels, isConsistencyModel, type ConsistencyModel } from '../../check/consistency/models.js';
import { consistencyReportJson, renderConsistencyReport } from '../../check/consistency/render-ladder.js';
import { renderHistoryHtml } from '../../report/history-html.js';
import { unreachable } from '../../util/assert.js';
import { ExitCode, InputError } from '../../util/errors.js';
import { ensureOutputFile } from '../../util/output-directory.js';
import { bufferIo, processIo, type CliIo } from '../io.js';
import type { CommandContext } from '../context.js';

/** The options of `faultline check`, already parsed. */
export interface CheckCommandArgs {
  readonly history: string;
  readonly model?: string;
  readonly format?: HistoryFormat;
  readonly timeoutMs?: number;
  readonly memoryMb?: number;
  readonly allPartitions?: boolean;
  readonly json?: boolean;
  readonly html?: string;
  readonly failSemantics?: FailSemantics;
  readonly initialValue?: Json;
  readonly nilReads?: NilReads;
  /** Check the consistency ladder instead: every model (`all`) or one. */
  readonly consistency?: ConsistencyModel | 'all';
  /** The verdict the user expects: when it is the one found, exit 0 (as `run` does for a scenario's `expect`). */
  readonly expect?: ExpectedVerdict;
}

/** What `check --expect` accepts: the verdicts, spelled as a scenario's `expect` spells them. */
export const expectedVerdicts = ['linearizable', 'not-linearizable', 'unknown'] as const;
export type ExpectedVerdict = (typeof expectedVerdicts)[number];

interface CheckFlags {
  model?: string;
  format?: HistoryFormat;
  timeoutMs?: string;
  memoryMb?: string;
  allPartitions?: boolean;
  json?: boolean;
  html?: string;
  failSemantics?: FailSemantics;
  initialValue?: string;
  nilReads?: NilReads;
  consistency?: string;
  expect?: ExpectedVerdict;
}

/** Adds `faultline check` to a commander program (the lead's CLI calls this). */
export function registerCheck(program: Command, context: CommandContext = { io: processIo(), exitCode: ExitCode.pass }): void {
  program
    .command('check')
    .description('check a history for linearizability against a model')
    .argument('<history>', 'history file: faultline JSON lines (.jsonl), Jepsen EDN, or Porcupine test logs')
    .option('-m, --model <name>', `model: ${modelNames.join(', ')} (default: implied by the format)`)
    .addOption(new Option('-f, --format <format>', 'history format (default: from the extension or the first line)').choices([...historyFormats]))
    .option('--timeout-ms <n>', 'time budget; verdict unknown when exceeded', '60000')
    .option('--memory-mb <n>', 'memory budget for the search, per partition; verdict unknown when exceeded', '512')
    .option('--all-partitions', 'keep checking the other keys after one is found not linearizable')
    .option('--json', 'print the result as JSON')
    .option('--html <file>', 'also write a self-contained HTML report of the history')
    .addOption(
      new Option('--fail-semantics <rule>', 'what a :fail means: absent (did not happen; default for EDN) or observed (a failed cas saw another value; default otherwise)').choices([
        ...failSemanticsNames,
      ]),
    )
    .option('--initial-value <value>', 'initial value of the register models, as JSON or EDN (default nil)')
    .addOption(new Option('--nil-reads <reading>', 'a nil read: state (the register held nil; default) or unknown (tells nothing, as in Jepsen)').choices([...nilReadsNames]))
    .option('--consistency <model>', `check the consistency ladder: all, or one of ${consistencyModels.join(', ')}`)
    .addOption(new Option('--expect <verdict>', 'the verdict you expect: exit 0 when it is found (a pass where a failure was expected exits 1)').choices([...expectedVerdicts]))
    .action(async (history: string, flags: CheckFlags) => {
      const args: CheckCommandArgs = {
        history,
        model: flags.model,
        format: flags.format,
        timeoutMs: positiveNumber(flags.timeoutMs, '--timeout-ms'),
        memoryMb: positiveNumber(flags.memoryMb, '--memory-mb'),
        allPartitions: flags.allPartitions,
        json: flags.json,
        html: flags.html,
        failSemantics: flags.failSemantics,
        initialValue: flags.initialValue === undefined ? undefined : parseInitialValue(flags.initialValue),
        nilReads: flags.nilReads,
        consistency: consistencyFlag(flags.consistency),
        expect: flags.expect,
      };
      context.exitCode = await runCheckCommand(args, context.io);
    });
}

/** Runs `faultline check` and returns its exit code; bad input throws InputError (exit code 2). */
export async function runCheckCommand(args: CheckCommandArgs, io: CliIo): Promise<number> {
  // Before any work: a check may take a minute, and its verdict must not end in a stack trace.
  if (args.html !== undefined) ensureHtmlPath(args.html);
  const parsed = await parseHistoryFile(args.history, args.format);
  const model = resolveModel(args.model, parsed.format, args.history, { initialValue: args.initialValue, nilReads: args.nilReads });
  if (args.consistency !== undefined && args.expect !== undefined) throw new InputError('--expect applies to the linearizability check, not to --consistency');
  if (args.consistency !== undefined) return runConsistencyCheck(args, args.consistency, parsed, model, io);
  const result = checkHistory(parsed.events, model, {
    source: parsed,
    failSemantics: args.failSemantics ?? defaultFailSemantics(parsed.format),
    timeoutMs: args.timeoutMs,
    memoryMb: args.memoryMb,
    allPartitions: args.allPartitions,
  });
  const written = args.html === undefined ? true : await writeHtml(args.html, () => renderHistoryHtml(result, parsed.events, model, { title: args.history }), io);
  if (args.json === true) io.out(JSON.stringify(checkResultJson(result, parsed, model), null, 2) + '\n');
  else io.out(renderCheckReport(result, model, { file: args.history, format: parsed.format, html: written ? args.html : undefined, warnings: parsed.warnings, nemesisEvents: parsed.nemesisEvents }));
  if (args.expect !== undefined && args.json !== true) io.out(expectationLine(result.verdict, args.expect));
  if (!written) return ExitCode.badInput;
  if (args.expect !== undefined) return expectedCheckExitCode(result.verdict, args.expect);
  switch (result.verdict) {
    case 'linearizable':
      return ExitCode.pass;
    case 'not linearizable':
      return ExitCode.checkFailed;
    case 'unknown':
      return ExitCode.limitOrLiveness;
    default:
      return unreachable(result.verdict, 'verdict');
  }
}

/** `faultline check --consistency`: the ladder, or one model; exit code from that model's verdict. */
async function runConsistencyCheck(args: CheckCommandArgs, which: ConsistencyModel | 'all', parsed: Awaited<ReturnType<typeof parseHistoryFile>>, model: AnyModel, io: CliIo): Promise<number> {
  const failSemantics = args.failSemantics ?? defaultFailSemantics(parsed.format);
  const report = checkConsistency(parsed.events, model, {
    source: parsed,
    failSemantics,
    timeoutMs: args.timeoutMs,
    memoryMb: args.memoryMb,
    models: which === 'all' ? undefined : [which],
  });
  let written = true;
  if (args.html !== undefined) {
    const linearizability = { failSemantics, ...(report.linearizability ?? checkHistory(parsed.events, model, { source: parsed, failSemantics, timeoutMs: args.timeoutMs, memoryMb: args.memoryMb })) };
    written = await writeHtml(args.html, () => renderHistoryHtml(linearizability, parsed.events, model, { title: args.history, ladder: report }), io);
  }
  if (args.json === true) io.out(JSON.stringify(consistencyReportJson(report, parsed), null, 2) + '\n');
  else io.out(renderConsistencyReport(report, { file: args.history, format: parsed.format, html: written ? args.html : undefined }));
  if (!written) return ExitCode.badInput;
  return which === 'all' ? ladderExitCode(report) : verdictExitCode(report.verdicts[0]?.verdict ?? 'unknown');
}

type CheckVerdict = 'linearizable' | 'not linearizable' | 'unknown';

function spelled(verdict: CheckVerdict): ExpectedVerdict {
  return verdict === 'not linearizable' ? 'not-linearizable' : verdict;
}

/** The rule of `run` and `sweep`: the expected verdict is 0; a pass where a failure was expected is 1. */
function expectedCheckExitCode(verdict: CheckVerdict, expected: ExpectedVerdict): number {
  if (spelled(verdict) === expected) return ExitCode.pass;
  if (verdict === 'linearizable') return ExitCode.checkFailed;
  return verdict === 'not linearizable' ? ExitCode.checkFailed : ExitCode.limitOrLiveness;
}

function expectationLine(verdict: CheckVerdict, expected: ExpectedVerdict): string {
  const found = spelled(verdict).toUpperCase();
  if (spelled(verdict) === expected) return `expected: ${found} (as expected)\n`;
  if (verdict === 'linearizable') return `expected: ${expected.toUpperCase()}, but the history is LINEARIZABLE: the failure was not reproduced\n`;
  return `expected: ${expected.toUpperCase()}, found ${found}\n`;
}

/** `--html reports/` or `--html /dev/null/x`: refused before checking, with one line. */
function ensureHtmlPath(file: string): void {
  if (/[\\/]$/.test(file)) throw new InputError('--html: names a folder; expected a file name such as reports/history.html', file);
  ensureOutputFile(file, '--html');
}

/**
 * Writes the page; if that still fails (the disk filled during the check), says so in one line
 * and lets the verdict be printed all the same.
 */
async function writeHtml(file: string, render: () => string, io: CliIo): Promise<boolean> {
  try {
    await writeFile(file, render());
    return true;
  } catch (error) {
    io.err(`faultline: ${file}: --html: cannot write the page (${(error as NodeJS.ErrnoException).code ?? String(error)}); the verdict follows\n`);
    return false;
  }
}

/** `all` reports rather than judges: exit 0 unless a model got no verdict (3). */
function ladderExitCode(report: ConsistencyReport): number {
  return report.verdicts.some((verdict) => verdict.verdict === 'unknown') ? ExitCode.limitOrLiveness : ExitCode.pass;
}

function verdictExitCode(verdict: 'holds' | 'violated' | 'unknown'): number {
  switch (verdict) {
    case 'holds':
      return ExitCode.pass;
    case 'violated':
      return ExitCode.checkFailed;
    case 'unknown':
      return ExitCode.limitOrLiveness;
    default:
      return unreachable(verdict, 'consistency verdict');
  }
}

function consistencyFlag(text: string | undefined): ConsistencyModel | 'all' | undefined {
  if (text === undefined || text === 'all' || isConsistencyModel(text)) return text;
  throw new InputError(`--consistency must be all or one of ${consistencyModels.join(', ')}, got ${JSON.stringify(text)}`);
}

/**
 * Drives `faultline check <argv...>` through commander without a process, for tests: returns
 * the exit code and what was printed, mapping InputError to exit code 2 and one stderr line as
 * the real CLI does.
 */
export async function runCheckCli(argv: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const io = bufferIo();
  const context: CommandContext = { io, exitCode: ExitCode.pass };
  const program = new Command('faultline').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerCheck(program, context);
  try {
    await program.parseAsync(['check', ...argv], { from: 'user' });
    return { exitCode: context.exitCode, stdout: io.stdout, stderr: io.stderr };
  } catch (error) {
    if (error instanceof InputError) {
      io.err(`faultline: ${error.describe()}\n`);
      return { exitCode: ExitCode.badInput, stdout: io.stdout, stderr: io.stderr };
    }
    if (error instanceof CommanderError) return { exitCode: error.exitCode === 0 ? ExitCode.pass : ExitCode.badInput, stdout: io.stdout, stderr: io.stderr };
    throw error;
  }
}

function resolveModel(name: string | undefined, format: HistoryFormat, file: string, options: RegisterOptions): AnyModel {
  const chosen = name ?? defaultModelFor(format);
  if (chosen === undefined) throw new InputError(`--model is required for ${format} histories; one of ${modelNames.join(', ')}`, file);
  const model = configuredModel(chosen, options);
  if (model === undefined) throw new InputError(`unknown model ${JSON.stringify(chosen)}; expected one of ${modelNames.join(', ')}`);
  return model;
}

function positiveNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InputError(`${flag} must be a positive number, got ${JSON.stringify(text)}`);
  return value;
}

/** `--initial-value 0`, `--initial-value '"a"'`, `--initial-value nil`: JSON first, then EDN. */
function parseInitialValue(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    try {
      return readEdnValue(text, undefined, 1);
    } catch {
      throw new InputError(`--initial-value must be a JSON or EDN value, got ${JSON.stringify(text)}`);
    }
  }
}
