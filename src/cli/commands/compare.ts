import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { compareProtocols } from '../../compare/compare-protocols.js';
import { renderComparisonHtml, renderComparisonMarkdown, renderComparisonText } from '../../compare/render-comparison.js';
import { protocolNames } from '../../protocols/registry.js';
import { loadScenarioFile } from '../../scenario/load.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { expectedOneOf } from '../../util/did-you-mean.js';
import { ExitCode, InputError } from '../../util/errors.js';
import { ensureOutputDirectory } from '../../util/output-directory.js';
import { safePathComponent } from '../../util/safe-name.js';
import type { CommandContext } from '../context.js';
import { parseSeed } from './shared.js';

interface CompareFlags {
  protocols: string;
  seeds: string;
  start: string;
  out?: string;
}

const DEFAULT_PROTOCOLS = 'raft,multi-paxos,zab,primary-backup';

/**
 * `faultline compare <scenario>`: the scenario's faults and workload on several protocols with
 * the same seeds; a side-by-side table on stdout, and compare.md, compare.json and compare.html.
 */
export function registerCompare(program: Command, context: CommandContext): void {
  program
    .command('compare')
    .description('run one scenario on several protocols with the same seeds (same faults, same requests) and compare them')
    .argument('<scenario>', 'a scenario file')
    .option('-p, --protocols <list>', 'comma-separated protocol names', DEFAULT_PROTOCOLS)
    .option('-n, --seeds <n>', 'how many seeds', '10')
    .option('--start <seed>', 'first seed', '1')
    .option('-o, --out <dir>', 'where to write compare.md, compare.json and compare.html (default reports/compare/<scenario>)')
    .action((file: string, flags: CompareFlags) => {
      const io = context.io;
      const scenario = loadScenarioFile(resolve(io.cwd, file));
      const protocols = parseProtocols(flags.protocols);
      const count = parseSeed(flags.seeds);
      if (count === 0) throw new InputError('expected --seeds to be at least 1');
      const start = parseSeed(flags.start);
      const out = resolve(io.cwd, flags.out ?? join('reports', 'compare', safePathComponent(scenario.name)));
      ensureOutputDirectory(out);
      const seeds = Array.from({ length: count }, (_, index) => start + index);
      const total = seeds.length * protocols.length;
      let done = 0;
      const comparison = compareProtocols(scenario, {
        protocols,
        seeds,
        onRun: (protocol, seed) => {
          done++;
          if (io.isTty) io.err(`\rcompare: ${done}/${total} runs (${protocol} seed ${seed})   `);
        },
      });
      if (io.isTty) io.err('\n');
      io.out(renderComparisonText(comparison));
      writeFileAtomic(join(out, 'compare.json'), JSON.stringify(comparison, null, 2) + '\n');
      writeFileAtomic(join(out, 'compare.md'), renderComparisonMarkdown(comparison));
      writeFileAtomic(join(out, 'compare.html'), renderComparisonHtml(comparison));
      io.out(`  written      ${relative(io.cwd, out) || out}/compare.md, compare.json, compare.html\n`);
      context.exitCode = ExitCode.pass;
    });
}

function parseProtocols(list: string): string[] {
  const names = list.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new InputError('expected --protocols to name at least one protocol');
  const known = protocolNames();
  for (const name of names) if (!known.includes(name)) throw new InputError(`unknown protocol "${name}" in --protocols; ${expectedOneOf(name, known)}`);
  return [...new Set(names)];
}

