import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseDuration } from '../../scenario/duration.js';
import { allProtocols } from '../../protocols/registry.js';
import { toModuleSpecifier } from '../../run/imported-modules.js';
import { parseWorkerCount } from '../../sweep/start-executor.js';
import { loadSetupModules } from '../../sweep/setup-modules.js';
import { ExitCode, InputError } from '../../util/errors.js';
import { plantedBugs, type PlantedBug } from '../../zoo/planted-bugs.js';
import { runZoo, type ZooOutcome } from '../../zoo/run-zoo.js';
import type { CommandContext } from '../context.js';
import { collect } from './shared.js';
import { toMillis } from '../../sim/time.js';

interface ZooFlags {
  dir: string;
  json?: boolean;
  import: string[];
}

/** `faultline zoo`: every planted bug; `faultline zoo run`: does the generic fault mix find them? */
export function registerZoo(program: Command, context: CommandContext): void {
  const zoo = program
    .command('zoo')
    .description('list every planted bug (zoo run: hunt each with its protocol\'s swarm scenario)')
    .option('-d, --dir <dir>', 'the scenario folder', 'scenarios')
    .option('--json', 'machine-readable output')
    .option('--import <module>', 'a JavaScript module that registers protocols (repeatable)', collect, [])
    .action(async (flags: ZooFlags) => {
      const bugs = await loadBugs(context, flags);
      if (flags.json === true) context.io.out(JSON.stringify(bugs, null, 2) + '\n');
      else context.io.out(renderBugs(bugs));
    });
  zoo
    .command('run')
    .description('run each planted bug under its protocol\'s swarm scenario until a seed fails or the budget is spent')
    .option('-b, --budget <duration>', 'wall time per bug', '60s')
    .option('--bug <id>', 'only this bug (repeatable)', collect, [])
    .option('-w, --workers <n>', 'worker threads per hunt: auto (one per core) or a count; 0 runs in this thread', 'auto')
    .option('-d, --dir <dir>', 'the scenario folder', 'scenarios')
    .option('--json', 'machine-readable output')
    .option('--import <module>', 'a JavaScript module that registers protocols (repeatable)', collect, [])
    .action(async (own: ZooFlags & { budget: string; bug: string[]; workers: string }) => {
      // Options spelled like the parent's (--json, --dir, --import) may be parsed by `zoo` itself.
      const parent = zoo.opts<ZooFlags>();
      const flags = { ...own, json: own.json ?? parent.json, dir: parent.dir !== 'scenarios' ? parent.dir : own.dir, import: [...parent.import, ...own.import] };
      const budgetMs = budgetOf(flags.budget);
      let bugs = await loadBugs(context, flags);
      if (flags.bug.length > 0) {
        const unknown = flags.bug.filter((id) => !bugs.some((bug) => bug.id === id));
        if (unknown.length > 0) throw new InputError(`unknown planted bug ${unknown.join(', ')}; expected one of ${bugs.map((bug) => bug.id).join(', ')}`);
        bugs = bugs.filter((bug) => flags.bug.includes(bug.id));
      }
      const workers = parseWorkerCount(flags.workers);
      const outcomes = await runZoo(bugs, { budgetMs, workers, onOutcome: (outcome) => flags.json !== true && context.io.out(renderOutcome(outcome)) });
      if (flags.json === true) context.io.out(JSON.stringify(outcomes, null, 2) + '\n');
      else context.io.out(renderTotals(outcomes, flags.budget));
      context.exitCode = outcomes.every((o) => o.found) ? ExitCode.pass : ExitCode.checkFailed;
    });
}

async function loadBugs(context: CommandContext, flags: ZooFlags): Promise<PlantedBug[]> {
  await loadSetupModules(flags.import.map((module) => toModuleSpecifier(module, context.io.cwd)));
  const bugs = plantedBugs(allProtocols(), resolve(context.io.cwd, flags.dir));
  const shown = (file: string) => relative(context.io.cwd, file) || file;
  return bugs.map((bug) => ({ ...bug, swarmScenario: bug.swarmScenario === undefined ? undefined : shown(bug.swarmScenario), targetedScenarios: bug.targetedScenarios.map(shown) }));
}

function budgetOf(text: string): number {
  const micros = parseDuration(text);
  if (micros === undefined || micros <= 0) throw new InputError(`expected --budget to be a duration such as 60s, got ${JSON.stringify(text)}`);
  return toMillis(micros);
}

function renderBugs(bugs: readonly PlantedBug[]): string {
  let out = `${bugs.length} planted bugs in ${new Set(bugs.map((bug) => bug.protocol)).size} protocols\n`;
  for (const bug of bugs) {
    out += `\n  ${bug.id}\n    ${bug.doc}\n`;
    if (bug.source !== undefined) out += `    from:        ${bug.source}\n`;
    if (bug.caughtBy !== undefined) out += `    caught by:   ${bug.caughtBy}\n`;
    out += `    swarm:       ${bug.swarmScenario ?? '(none: zoo run skips it)'}${bug.tuning ? ' (tuning set)' : ' (held out)'}\n`;
    if (bug.targetedScenarios.length > 0) out += `    targeted:    ${bug.targetedScenarios.join(', ')}\n`;
  }
  return out;
}

function renderTotals(outcomes: readonly ZooOutcome[], budget: string): string {
  const found = (part: readonly ZooOutcome[]) => `${part.filter((o) => o.found).length} of ${part.length}`;
  const heldOut = outcomes.filter((o) => !o.tuning);
  const tuning = outcomes.filter((o) => o.tuning);
  return `found ${found(outcomes)} planted bugs within ${budget} each (held out: ${found(heldOut)}; tuning set: ${found(tuning)})\n`;
}

function renderOutcome(outcome: ZooOutcome): string {
  if (outcome.skipped !== undefined) return `  ${outcome.id.padEnd(44)} skipped: ${outcome.skipped}\n`;
  const found = outcome.found ? `found on seed ${outcome.firstFailingSeed} (${outcome.caughtBy})` : `NOT found in ${outcome.seedsTried} seeds`;
  const how = outcome.inconclusive === undefined ? found : `${found}; ${outcome.inconclusive.seeds} inconclusive seeds, first ${outcome.inconclusive.first}`;
  return `  ${outcome.id.padEnd(44)} ${how}, ${(outcome.wallMs / 1000).toFixed(1)}s${outcome.tuning ? ' [tuning set]' : ''}\n`;
}

