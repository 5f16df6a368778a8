import { join, relative } from 'node:path';
import { formatMeasure } from '../invariants/meter.js';
import type { Painter } from '../report/summary.js';
import { importFlags } from '../run/imported-modules.js';
import { formatMicros } from '../sim/time.js';
import { shellQuote } from '../util/shell-quote.js';
import { describeShard } from './seed-range.js';
import type { ScenarioSummary, SweepSummary, Totals } from './summary.js';

/** Lines of failures in the text summary (a failure takes two to four); summary.json has them all. */
const LISTED_FAILURES_MAX = 20;
const DETAIL_CHARACTERS_MAX = 160;
/** Scenarios named on one mark's row; the rest are counted. */
const SCENARIOS_PER_MARK_MAX = 4;

/**
 * The closing text of a sweep: totals, failures by verdict, seeds/s, and for each failing seed
 * the command that replays it. `summaryDirectory` and `cwd` make the paths copy-pasteable.
 */
export function renderSweepSummary(summary: SweepSummary, paint: Painter, summaryDirectory: string, cwd: string): string {
  const lines = [paint.bold(`faultline sweep: ${summary.scenarios.map((s) => s.name).join(', ')}`)];
  const shards = summary.shards.map(describeShard).join(', ');
  lines.push(row('seeds', `${summary.seeds.start}..${summary.seeds.start + summary.seeds.count - 1}${shards === '1/1' ? '' : ` (shard ${shards})`}${summary.swarm ? '  swarm' : ''}${summary.checkDeterminism ? '  determinism checked' : ''}`));
  lines.push(row('ran', `${totalsLine(summary.totals)}   ${summary.seedsPerSecond} seeds/s on ${summary.workers} worker${summary.workers === 1 ? '' : 's'}`));
  if (summary.scenarios.length > 1) for (const scenario of summary.scenarios) lines.push(row(scenario.name, totalsLine(scenario.totals)));
  for (const scenario of summary.scenarios) {
    if (scenario.totals.consistency !== undefined) lines.push(row('consistency', `${scenario.name}: ${consistencyLine(scenario.totals.consistency)}`));
  }
  lines.push(...marksLines(summary.scenarios, paint));
  for (const scenario of summary.scenarios) {
    Object.entries(scenario.measures ?? {}).forEach(([name, measure], index) => lines.push(row(index === 0 ? 'measures' : '', `${index === 0 ? `${scenario.name}: ` : ' '.repeat(scenario.name.length + 2)}${formatMeasure(name, measure)}`)));
  }
  const failedBy = Object.entries(summary.totals.failedBy).map(([kind, count]) => `${kind} ${count}`);
  if (failedBy.length > 0) lines.push(row('failed by', failedBy.join(', ')));
  if (summary.status !== 'complete') lines.push(row('stopped', paint.bad(`${summary.status}: ${summary.stopReason ?? ''} (${summary.totals.notRun} seeds not run)`)));
  lines.push(...failureLines(summary, paint, summaryDirectory, cwd));
  const ok = summary.totals.failed === 0 && summary.status === 'complete';
  lines.push(row('verdict', ok ? paint.good('PASS') : paint.bad(summary.totals.failed > 0 ? `FAIL (${summary.totals.failed} seeds)` : summary.status.toUpperCase())));
  return lines.join('\n') + '\n';
}

function failureLines(summary: SweepSummary, paint: Painter, summaryDirectory: string, cwd: string): string[] {
  const lines: string[] = [];
  let listed = 0;
  for (const scenario of summary.scenarios) {
    for (const run of scenario.runs.filter((r) => r.failed)) {
      // Each failure takes several lines, so the bound counts lines but the remainder counts failures.
      if (lines.length >= LISTED_FAILURES_MAX) return [...lines, row('', paint.dim(`… ${summary.totals.failed - listed} more in summary.json`))];
      listed++;
      const what = run.divergence !== undefined ? 'NONDETERMINISTIC' : `${run.verdict.toUpperCase()} (expected ${run.expected})`;
      lines.push(row('failed', `${scenario.name} seed ${run.seed}: ${paint.bad(what)} at ${formatMicros(run.simulatedTime)}`));
      if (run.divergence === undefined && run.detail !== '') lines.push(row('', oneLine(run.detail)));
      if (run.divergence?.eventIndex !== undefined) {
        lines.push(row('', `first diverging event #${run.divergence.eventIndex} (workers ${run.divergence.workers.join(' and ')}):`));
        lines.push(row('', `  ${run.divergence.first}`), row('', `  ${run.divergence.second}`));
      } else if (run.divergence !== undefined) {
        lines.push(row('', `trace hashes ${run.divergence.traceHashes.join(' ≠ ')}; first difference within events #${run.divergence.windowStart}..#${run.divergence.windowEnd}`));
      }
      if (run.failureDirectory !== undefined) {
        const path = relative(cwd, join(summaryDirectory, run.failureDirectory, 'result.json')) || 'result.json';
        lines.push(row('', paint.dim(`replay: faultline replay ${shellQuote(path)}${importFlags(summary.imports ?? [], cwd)}`)));
      }
    }
  }
  return lines;
}

/**
 * The coverage table: one row per mark with the seeds that reached it (of the seeds whose protocol
 * declares it), its hits, and which scenarios reached it; then, per scenario, the marks it reached.
 */
export function marksLines(scenarios: readonly ScenarioSummary[], paint: Painter): string[] {
  const names = [...new Set(scenarios.flatMap((scenario) => Object.keys(scenario.marks ?? {})))].sort();
  if (names.length === 0) return [];
  const width = Math.max(4, ...names.map((name) => name.length));
  const lines = [row('marks', paint.dim(`${'mark'.padEnd(width)}  ${'seeds'.padStart(15)}  ${'hits'.padStart(11)}${scenarios.length > 1 ? '  reached in (seeds)' : ''}`))];
  for (const name of names) {
    const having = scenarios.filter((scenario) => scenario.marks?.[name] !== undefined);
    const seeds = having.reduce((sum, scenario) => sum + scenario.marks[name]!.seeds, 0);
    const hits = having.reduce((sum, scenario) => sum + scenario.marks[name]!.hits, 0);
    const runs = having.reduce((sum, scenario) => sum + scenario.totals.run, 0);
    const counts = `${`${seeds} of ${runs}`.padStart(15)}  ${hits.toLocaleString('en-US').padStart(11)}`;
    const reached = having.filter((scenario) => scenario.marks[name]!.seeds > 0);
    const where = reached.slice(0, SCENARIOS_PER_MARK_MAX).map((scenario) => `${scenario.name} ${scenario.marks[name]!.seeds}`);
    if (reached.length > SCENARIOS_PER_MARK_MAX) where.push(`+${reached.length - SCENARIOS_PER_MARK_MAX} more`);
    const tail = seeds === 0 ? paint.bad('  never reached') : scenarios.length > 1 ? `  ${where.join(', ')}` : '';
    lines.push(row('', `${name.padEnd(width)}  ${counts}${tail}`));
  }
  if (scenarios.length > 1) {
    for (const scenario of scenarios) {
      const declared = Object.entries(scenario.marks ?? {});
      if (declared.length === 0) continue;
      const reached = declared.filter(([, total]) => total.seeds > 0).map(([name]) => name);
      lines.push(row('', `${scenario.name} reached ${reached.length} of ${declared.length}${reached.length === 0 ? '' : `: ${reached.join(', ')}`}`));
    }
  }
  return lines;
}

/** A verdict's detail on one line, cut to a readable length (summary.json has it whole). */
function oneLine(detail: string): string {
  const flat = detail.replace(/\s+/g, ' ');
  return flat.length <= DETAIL_CHARACTERS_MAX ? flat : `${flat.slice(0, DETAIL_CHARACTERS_MAX - 1)}…`;
}

/** "linearizable 12 holds 188 violated; sequential 200 holds; …" */
function consistencyLine(counts: NonNullable<Totals['consistency']>): string {
  return Object.entries(counts)
    .map(([model, count]) => `${model} ${[count.holds > 0 ? `${count.holds} holds` : '', count.violated > 0 ? `${count.violated} violated` : '', count.unknown > 0 ? `${count.unknown} unknown` : ''].filter((part) => part !== '').join(' ')}`)
    .join('; ');
}

function totalsLine(totals: Totals): string {
  const notRun = totals.notRun > 0 ? `, ${totals.notRun} not run` : '';
  return `${totals.run} of ${totals.planned} seeds: ${totals.passed} passed, ${totals.failed} failed${notRun}`;
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(12)} ${value}`;
}
