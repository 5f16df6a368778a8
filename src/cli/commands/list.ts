import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { FAULT_KINDS } from '../../faults/fault.js';
import { allProtocols } from '../../protocols/registry.js';
import type { CommandContext } from '../context.js';
import { describeProtocol, renderOption, type ProtocolDescription } from '../../protocol/describe-protocol.js';
import { toModuleSpecifier } from '../../run/imported-modules.js';
import { loadSetupModules } from '../../sweep/setup-modules.js';
import { collect } from './shared.js';

export interface ScenarioListing {
  file: string;
  description: string;
  expect: string;
}

/** Scenario files in `directory` with their one-line descriptions (read without running them). */
export function listScenarios(directory: string): ScenarioListing[] {
  let files: string[];
  try {
    files = readdirSync(directory).filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'));
  } catch {
    return [];
  }
  return files.sort().map((name) => {
    const text = readFileSync(join(directory, name), 'utf8');
    const description = /^description:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? '';
    const expect = /^expect:\s*(\S+)/m.exec(text)?.[1] ?? 'pass';
    return { file: join(directory, name), description: description.replace(/^["']|["']$/g, ''), expect };
  });
}

export function registerList(program: Command, context: CommandContext): void {
  program
    .command('list')
    .description('list scenarios, protocols and fault kinds')
    .option('-d, --dir <dir>', 'the scenario folder', 'scenarios')
    .option('--json', 'machine-readable output')
    .option('--import <module>', 'a JavaScript module that registers protocols (repeatable)', collect, [])
    .action(async (flags: { dir: string; json?: boolean; import: string[] }) => {
      const io = context.io;
      await loadSetupModules(flags.import.map((module) => toModuleSpecifier(module, io.cwd)));
      // Relative to the working directory, or absolute: both name the same folder.
      const directory = resolve(io.cwd, flags.dir);
      const scenarios = listScenarios(directory).map((listing) => ({ ...listing, file: shownPath(io.cwd, listing.file) }));
      const protocols = allProtocols().map(describeProtocol);
      const faults = Object.entries(FAULT_KINDS).map(([name, description]) => ({ name, description }));
      if (flags.json === true) {
        io.out(JSON.stringify({ scenarios, protocols, faults }, null, 2) + '\n');
        return;
      }
      io.out('Scenarios:\n');
      if (scenarios.length === 0) io.out(`  none: ${whyNoScenarios(directory, flags.dir)}\n`);
      const width = Math.max(0, ...scenarios.map((s) => s.file.length));
      for (const s of scenarios) io.out(`  ${s.file.padEnd(width)}  [${s.expect}] ${s.description}\n`);
      io.out('\nProtocols:\n');
      for (const p of protocols) io.out(renderProtocolListing(p));
      io.out('\nFault kinds:\n');
      for (const f of faults) io.out(`  ${f.name.padEnd(16)} ${f.description}\n`);
    });
}

/** A path under the working directory as a relative one (copy-pastable), any other as given. */
function shownPath(cwd: string, file: string): string {
  const inside = relative(cwd, file);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : file;
}

/** Said plainly: a folder that is missing, is a file, or holds no scenario. */
function whyNoScenarios(directory: string, given: string): string {
  let isFolder: boolean;
  try {
    isFolder = statSync(directory).isDirectory();
  } catch {
    return `the folder ${given} does not exist (pass --dir with a folder of scenario .yaml files)`;
  }
  if (!isFolder) return `${given} is a file, not a folder (pass --dir with a folder of scenario .yaml files)`;
  return `no .yaml scenario files in ${given}`;
}

function renderProtocolListing(p: ProtocolDescription): string {
  let out = `  ${p.name.padEnd(16)} ${p.description}\n`;
  out += `    messages: ${p.messages.map((m) => m.name).join(', ')}\n`;
  out += `    timers:   ${p.timers.map((t) => t.name).join(', ')}\n`;
  if (p.marks.length > 0) out += `    marks:    ${p.marks.map((m) => m.name).join(', ')}\n`;
  out += '    options:\n';
  for (const option of p.options) out += `      ${renderOption(option)}\n`;
  return out;
}
