import { join, relative } from 'node:path';
import { unionOfImports } from '../run/imported-modules.js';
import { InputError } from '../util/errors.js';
import { sumMarks } from './marks.js';
import { describeShard, type Shard } from './seed-range.js';
import { addTotals, plannedCount, poolMeasures, seedsPerSecond, totalsOf, type ScenarioSummary, type SeedRun, type SweepStatus, type SweepSummary } from './summary.js';

/** A shard's summary and the folder it was read from (its failure folders are relative to it). */
export interface ShardOutput {
  directory: string;
  summary: SweepSummary;
}

/**
 * Combines the summaries of shard sweeps into one, as if one sweep had run them all: runs sorted
 * by seed, totals recomputed, failure folders pointed at where they lie (relative to `outDirectory`).
 * Shards must come from the same sweep (same seed range and settings) and not overlap.
 */
export function mergeShards(outputs: readonly ShardOutput[], outDirectory: string): SweepSummary {
  if (outputs.length === 0) throw new InputError('merge needs at least one sweep output folder');
  const first = outputs[0]!.summary;
  for (const output of outputs) checkCompatible(first, output);
  const shards = outputs.flatMap((output) => output.summary.shards).sort((a, b) => a.count - b.count || a.index - b.index);
  checkDisjoint(shards);
  const scenarios = mergeScenarios(outputs, outDirectory);
  const totals = addTotals(scenarios.map((scenario) => scenario.totals));
  const wallMs = outputs.reduce((sum, output) => sum + output.summary.wallMs, 0);
  const { status, stopReason } = mergedStatus(outputs, shards);
  return {
    formatVersion: 1,
    kind: 'faultline-sweep',
    status,
    stopReason,
    seeds: first.seeds,
    shards,
    swarm: first.swarm,
    checkDeterminism: outputs.every((output) => output.summary.checkDeterminism),
    imports: unionOfImports(outputs.map((output) => output.summary.imports)),
    workers: Math.max(...outputs.map((output) => output.summary.workers)),
    scenarios,
    totals,
    wallMs,
    seedsPerSecond: seedsPerSecond(totals.run, wallMs),
  };
}

function checkCompatible(first: SweepSummary, output: ShardOutput): void {
  const summary = output.summary;
  const same = summary.seeds.start === first.seeds.start && summary.seeds.count === first.seeds.count && summary.swarm === first.swarm;
  if (!same) {
    throw new InputError(
      `not a shard of the same sweep: seeds ${summary.seeds.start}+${summary.seeds.count}${summary.swarm ? ' swarm' : ''} vs ${first.seeds.start}+${first.seeds.count}${first.swarm ? ' swarm' : ''}`,
      output.directory,
    );
  }
}

function checkDisjoint(shards: readonly Shard[]): void {
  const seen = new Set<string>();
  for (const shard of shards) {
    const name = describeShard(shard);
    if (seen.has(name)) throw new InputError(`shard ${name} is given twice`);
    seen.add(name);
  }
}

function mergeScenarios(outputs: readonly ShardOutput[], outDirectory: string): ScenarioSummary[] {
  const byName = new Map<string, ScenarioSummary>();
  for (const output of outputs) {
    for (const scenario of output.summary.scenarios) {
      const merged = byName.get(scenario.name) ?? { ...scenario, planned: [], runs: [], marks: {}, measures: undefined };
      byName.set(scenario.name, merged);
      // Shards are disjoint, so seeds that reached a mark add up; a summary from before marks has none.
      merged.marks = sumMarks([merged.marks, scenario.marks ?? {}]);
      if (scenario.measures !== undefined) poolMeasures((merged.measures ??= {}), scenario.measures);
      merged.planned.push(...scenario.planned);
      merged.runs.push(...scenario.runs.map((run) => relocate(run, output.directory, outDirectory)));
    }
  }
  return [...byName.values()].map((scenario) => {
    scenario.planned.sort((a, b) => a.start - b.start);
    scenario.runs.sort((a, b) => a.seed - b.seed);
    checkNoSeedTwice(scenario);
    return { ...scenario, totals: totalsOf(scenario.runs, plannedCount(scenario.planned)) };
  });
}

function checkNoSeedTwice(scenario: ScenarioSummary): void {
  for (let index = 1; index < scenario.runs.length; index++) {
    if (scenario.runs[index]!.seed === scenario.runs[index - 1]!.seed) {
      throw new InputError(`seed ${scenario.runs[index]!.seed} of ${scenario.name} appears in two shards; the shards overlap`);
    }
  }
}

function relocate(run: SeedRun, shardDirectory: string, outDirectory: string): SeedRun {
  if (run.failureDirectory === undefined) return run;
  return { ...run, failureDirectory: relative(outDirectory, join(shardDirectory, run.failureDirectory)) };
}

/** Complete only when every shard completed and together they make up a whole split 1/n … n/n. */
function mergedStatus(outputs: readonly ShardOutput[], shards: readonly Shard[]): { status: SweepStatus; stopReason: string | undefined } {
  const unfinished = outputs.find((output) => output.summary.status !== 'complete');
  if (unfinished !== undefined) return { status: unfinished.summary.status, stopReason: `${unfinished.directory}: ${unfinished.summary.stopReason ?? unfinished.summary.status}` };
  const count = shards[0]!.count;
  const missing = Array.from({ length: count }, (_, i) => ({ index: i + 1, count })).filter((wanted) => !shards.some((s) => s.index === wanted.index && s.count === count));
  if (shards.some((shard) => shard.count !== count)) return { status: 'interrupted', stopReason: `shards of different splits: ${shards.map(describeShard).join(', ')}` };
  if (missing.length > 0) return { status: 'interrupted', stopReason: `missing shards ${missing.map(describeShard).join(', ')}` };
  return { status: 'complete', stopReason: undefined };
}
