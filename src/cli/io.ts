import { Chalk } from 'chalk';
import type { Painter } from '../report/summary.js';

/** Where the CLI writes. Tests pass buffers; the real entry passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Colour and progress bars only on a terminal. */
  readonly isTty: boolean;
  readonly cwd: string;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
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
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}

export function painterFor(io: CliIo): Painter {
  const chalk = new Chalk({ level: io.isTty ? 1 : 0 });
  return { good: chalk.green, bad: chalk.red.bold, dim: chalk.dim, bold: chalk.bold };
}
