import { Command, CommanderError } from 'commander';
import { AssertionFailure } from '../util/assert.js';
import { ExitCode, InputError } from '../util/errors.js';
import { registerList } from './commands/list.js';
import { registerReplay } from './commands/replay.js';
import { registerRun } from './commands/run.js';
import type { CliIo } from './io.js';

/** A command's action reports its exit code here instead of calling process.exit. */
export interface CommandContext {
  io: CliIo;
  exitCode: number;
}

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
  registerRun(program, context);
  registerReplay(program, context);
  registerList(program, context);
  for (const register of extraCommands) register(program, context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

type Register = (program: Command, context: CommandContext) => void;
const extraCommands: Register[] = [];

/** Lets other modules (check, sweep, shrink) add their commands without this file importing them all. */
export function addCommand(register: Register): void {
  extraCommands.push(register);
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
