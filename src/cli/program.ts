import { Command, CommanderError } from 'commander';
import { AssertionFailure } from '../util/assert.js';
import { ExitCode, InputError } from '../util/errors.js';
import { registerCheck } from './commands/check.js';
import { registerCompare } from './commands/compare.js';
import { registerList } from './commands/list.js';
import { registerMerge } from './commands/merge.js';
import { registerReplay } from './commands/replay.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerShrink } from './commands/shrink.js';
import { registerSweep } from './commands/sweep.js';
import { registerZoo } from './commands/zoo.js';
import type { CommandContext } from './context.js';
import type { CliIo } from './io.js';

export type { CommandContext } from './context.js';

type Register = (program: Command, context: CommandContext) => void;

/** Every command, in the order `faultline --help` lists them. The one place a command is added. */
const COMMANDS: readonly Register[] = [
  registerRun,
  registerReplay,
  registerList,
  registerCheck,
  registerSweep,
  registerMerge,
  registerShrink,
  registerReport,
  registerZoo,
  registerCompare,
];

/**
 * Runs the CLI on `argv` (without the node and script entries) and returns the exit code. It
 * never calls process.exit and never lets a stack trace reach the user for bad input.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const context: CommandContext = { io, exitCode: ExitCode.pass };
  const program = new Command('faultline')
    .description('A deterministic simulator for distributed systems: run protocols under faults, check their histories.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showSuggestionAfterError(true);
  for (const register of COMMANDS) register(program, context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return ExitCode.pass;
    return ExitCode.badInput; // commander already printed its one-line message
  }
  if (error instanceof InputError) {
    io.err(`faultline: ${error.describe()}\n`);
    return ExitCode.badInput;
  }
  if (error instanceof AssertionFailure) {
    io.err(`faultline: internal assertion failed: ${error.message}\n${error.stack ?? ''}\n`);
    return ExitCode.checkFailed;
  }
  throw error;
}
