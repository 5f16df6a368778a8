import type { CliIo } from './io.js';

/** A command's action reports its exit code here instead of calling process.exit. */
export interface CommandContext {
  io: CliIo;
  exitCode: number;
}
