import { describeShard } from './seed-range.js';
import type { ScenarioSummary, SeedRun, SweepSummary } from './summary.js';

/**
 * JUnit XML for CI systems: one test suite per scenario, one test case per seed that ran, a
 * `<failure>` for each failing seed carrying the verdict and its replay command. Seeds that did
 * not run (an interrupted sweep) are counted in the suite's properties, not listed.
 */
export function renderJunit(summary: SweepSummary): string {
  const totals = summary.totals;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="faultline sweep" tests="${totals.run}" failures="${totals.failed}" errors="0" time="${seconds(summary.wallMs)}">`,
  ];
  for (const scenario of summary.scenarios) lines.push(...suite(scenario, summary));
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function suite(scenario: ScenarioSummary, summary: SweepSummary): string[] {
  const totals = scenario.totals;
  const time = scenario.runs.reduce((sum, run) => sum + run.wallMs, 0);
  const lines = [
    `  <testsuite name="${escape(scenario.name)}" tests="${totals.run}" failures="${totals.failed}" errors="0" skipped="0" time="${seconds(time)}">`,
    '    <properties>',
    property('scenario file', scenario.file ?? '(inline)'),
    property('expect', scenario.expect),
    property('shards', summary.shards.map(describeShard).join(' ')),
    property('status', summary.status),
    property('seeds not run', String(totals.notRun)),
    '    </properties>',
  ];
  for (const run of scenario.runs) lines.push(...testCase(scenario.name, run));
  lines.push('  </testsuite>');
  return lines;
}

function testCase(scenario: string, run: SeedRun): string[] {
  const open = `    <testcase classname="faultline.${escape(scenario)}" name="seed ${run.seed}" time="${seconds(run.wallMs)}"`;
  if (!run.failed) return [`${open}/>`];
  const kind = run.divergence !== undefined ? 'nondeterministic' : run.verdict;
  const message = run.divergence !== undefined ? `trace hashes differ: ${run.divergence.traceHashes.join(' vs ')}` : `verdict ${run.verdict}, expected ${run.expected}`;
  const body = [run.detail, divergenceText(run), run.failureDirectory === undefined ? '' : `replay: faultline replay ${run.failureDirectory}/result.json`]
    .filter((part) => part !== '')
    .join('\n');
  return [`${open}>`, `      <failure type="${escape(kind)}" message="${escape(message)}">${escape(body)}</failure>`, '    </testcase>'];
}

function divergenceText(run: SeedRun): string {
  const divergence = run.divergence;
  if (divergence === undefined) return '';
  if (divergence.eventIndex === undefined) return `first difference within events #${divergence.windowStart}..#${divergence.windowEnd}`;
  return `first diverging event #${divergence.eventIndex}:\n  ${divergence.first}\n  ${divergence.second}`;
}

function property(name: string, value: string): string {
  return `      <property name="${escape(name)}" value="${escape(value)}"/>`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** XML-escapes text and drops characters XML 1.0 cannot carry. */
function escape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
