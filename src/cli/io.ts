import { Chalk } from 'chalk';
import type { Painter } from '../report/summary.js';
import { escapeBidi } from '../util/bidi.js';

/** Where the CLI writes. Tests pass buffers; the real entry passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Colour and progress bars only on a terminal. */
  readonly isTty: boolean;
  readonly cwd: string;
}

/**
 * Everything the CLI prints passes `escapeBidi`, so a name, key or value holding a right-to-left
 * override shows as `\u202E` instead of reordering the line. In --json output the same escape is
 * valid JSON for the same character.
 */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(escapeBidi(text)),
    err: (text) => process.stderr.write(escapeBidi(text)),
    isTty: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    cwd: process.cwd(),
  };
}

/** A CliIo that collects output, for tests. */
export function bufferIo(cwd = process.cwd()): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    isTty: false,
    cwd,
    out(text: string) {
      io.stdout += escapeBidi(text);
    },
    err(text: string) {
      io.stderr += escapeBidi(text);
    },
  };
  return io;
}

export function painterFor(io: CliIo): Painter {
  const chalk = new Chalk({ level: io.isTty ? 1 : 0 });
  return { good: chalk.green, bad: chalk.red.bold, dim: chalk.dim, bold: chalk.bold };
}
