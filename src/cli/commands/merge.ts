import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { mergeShards } from '../../sweep/merge.js';
import { readSummaryFile, SUMMARY_FILE, writeSweepFiles } from '../../sweep/sweep-files.js';
import { sweepExitCode } from '../../sweep/sweep-exit-code.js';
import { renderSweepSummary } from '../../sweep/summary-text.js';
import { ensureOutputDirectory } from '../../util/output-directory.js';
import { painterFor } from '../io.js';
import type { CommandContext } from '../context.js';

export function registerMerge(program: Command, context: CommandContext): void {
  program
    .command('merge')
    .description('combine the output folders of sharded sweeps into one summary.json and junit.xml')
    .argument('<dir...>', 'sweep output folders (each holding a summary.json)')
    .option('-o, --out <dir>', 'where to write the merged files', 'reports/sweep-merged')
    .option('--json', 'print the merged summary.json to stdout')
    .action((directories: string[], flags: { out: string; json?: boolean }) => {
      const io = context.io;
      const out = resolve(io.cwd, flags.out);
      ensureOutputDirectory(out);
      const outputs = directories.map((directory) => {
        const absolute = resolve(io.cwd, directory);
        return { directory: absolute, summary: readSummaryFile(join(absolute, SUMMARY_FILE)) };
      });
      const summary = mergeShards(outputs, out);
      writeSweepFiles(out, summary);
      if (flags.json === true) io.out(JSON.stringify(summary, null, 2) + '\n');
      else io.out(renderSweepSummary(summary, painterFor(io), out, io.cwd) + `  ${'written'.padEnd(12)} ${relative(io.cwd, out) || '.'}/summary.json, junit.xml\n`);
      context.exitCode = sweepExitCode(summary);
    });
}

