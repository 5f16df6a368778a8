import type { ScenarioSummary, SeedRun, SweepSummary } from '../../sweep/summary.js';
import { htmlText, NO_NETWORK_POLICY, relativeHref } from '../html-text.js';
import { histogram, type Histogram } from './distribution.js';

export interface SweepPageOptions {
  /** Whether a failure folder (relative to the summary's folder) holds its report.html. */
  hasReport(failureDirectory: string): boolean;
}

/** Failing seeds listed per scenario; the rest are counted (summary.json has them all). */
const LISTED_FAILURES_MAX = 500;
const BINS_MAX = 24;

/** The run metrics whose distribution over seeds the page draws. */
const METRICS: { name: string; value: (run: SeedRun) => number; unit: (value: number) => string }[] = [
  { name: 'events', value: (run) => run.events, unit: (value) => Math.round(value).toLocaleString('en-US') },
  { name: 'simulated time', value: (run) => run.simulatedTime, unit: (value) => `${(value / 1e6).toFixed(3)}s` },
  { name: 'wall time', value: (run) => run.wallMs, unit: (value) => `${Math.round(value)}ms` },
];

/**
 * summary.html: a sweep at a glance, one static page with no script at all. Per scenario the
 * pass / fail counts and verdicts, each failing seed linked to its own report.html (or its
 * result.json, with the command that renders the report, when the sweep wrote none), and the
 * distributions of events, simulated time and wall time over the seeds, failures in red. Every
 * string from the sweep is escaped (markup and bidirectional controls).
 */
export function renderSweepHtml(summary: SweepSummary, options: SweepPageOptions): string {
  const totals = summary.totals;
  const range = `${summary.seeds.start}..${summary.seeds.start + summary.seeds.count - 1}`;
  const shards = summary.shards.map((shard) => `${shard.index}/${shard.count}`).join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${NO_NETWORK_POLICY.replace("script-src 'unsafe-inline'", "script-src 'none'")}">
<title>faultline sweep</title>
<style>${styles}</style>
</head>
<body>
<header>
<h1>faultline sweep: <span class="${totals.failed > 0 ? 'bad' : 'good'}" data-testid="sweep-verdict">${totals.failed > 0 ? `${totals.failed} failing seed${totals.failed === 1 ? '' : 's'}` : 'every seed as expected'}</span></h1>
<p class="meta">${htmlText(summary.status)}${summary.stopReason === undefined ? '' : ` (${htmlText(summary.stopReason)})`} · seeds ${range} · shards ${htmlText(shards)}${summary.swarm ? ' · swarm' : ''}${summary.checkDeterminism ? ' · determinism checked' : ''} · ${summary.workers} workers · ${(summary.wallMs / 1000).toFixed(1)}s wall, ${summary.seedsPerSecond} seeds/s</p>
<p class="meta">run ${totals.run} of ${totals.planned} · passed ${totals.passed} · failed ${totals.failed}${totals.notRun > 0 ? ` · not run ${totals.notRun}` : ''} · verdicts ${htmlText(counts(totals.verdicts))}</p>
</header>
<main>
<h2>Scenarios</h2>
<table data-testid="scenarios">
<thead><tr><th>scenario</th><th>expect</th><th>run</th><th>passed</th><th>failed</th><th>failed by</th><th>verdicts</th></tr></thead>
<tbody>
${summary.scenarios.map((scenario, index) => scenarioRow(scenario, index)).join('\n')}
</tbody>
</table>
${summary.scenarios.map((scenario, index) => scenarioSection(scenario, index, options)).join('\n')}
</main>
</body>
</html>
`;
}

function scenarioRow(scenario: ScenarioSummary, index: number): string {
  const t = scenario.totals;
  return `<tr data-scenario-row="${index}"><td><a href="#scenario-${index}">${htmlText(scenario.name)}</a></td><td>${htmlText(scenario.expect)}</td><td class="n">${t.run}</td><td class="n" data-passed>${t.passed}</td><td class="n${t.failed > 0 ? ' bad' : ''}" data-failed>${t.failed}</td><td>${htmlText(counts(t.failedBy))}</td><td>${htmlText(counts(t.verdicts))}</td></tr>`;
}

function scenarioSection(scenario: ScenarioSummary, index: number, options: SweepPageOptions): string {
  const failures = scenario.runs.filter((run) => run.failed);
  const listed = failures.slice(0, LISTED_FAILURES_MAX);
  const items = listed.map((run) => failureItem(run, options)).join('\n');
  const more = failures.length > listed.length ? `<li class="meta">… ${failures.length - listed.length} more failing seeds (see summary.json)</li>` : '';
  return `<section id="scenario-${index}" data-scenario="${index}">
<h2>${htmlText(scenario.name)}</h2>
<p class="meta">${scenario.file === undefined ? 'no file' : htmlText(scenario.file)} · expect ${htmlText(scenario.expect)} · ${scenario.totals.passed} passed, ${scenario.totals.failed} failed of ${scenario.totals.run}</p>
${failures.length === 0 ? '<p class="good">no failing seed</p>' : `<h3>Failing seeds</h3>\n<ul class="failures">\n${items}\n${more}\n</ul>`}
<h3>Distributions over ${scenario.runs.length} seeds</h3>
<div class="plots">${scenario.runs.length === 0 ? '<p class="meta">no seed ran</p>' : METRICS.map((metric) => histogramSvg(metric.name, histogram(scenario.runs.map(metric.value), scenario.runs.map((run) => run.failed), BINS_MAX), metric.unit)).join('')}</div>
</section>`;
}

function failureItem(run: SeedRun, options: SweepPageOptions): string {
  const directory = run.failureDirectory;
  const detail = run.detail.length > 400 ? `${run.detail.slice(0, 400)}…` : run.detail;
  const verdict = `${htmlText(run.verdict)}${run.divergence === undefined ? '' : ', nondeterministic'} (expected ${htmlText(run.expected)})`;
  if (directory === undefined) return `<li data-seed="${run.seed}">seed ${run.seed}: ${verdict} <span class="detail">${htmlText(detail)}</span></li>`;
  const report = options.hasReport(directory);
  const target = relativeHref(`${directory}/${report ? 'report.html' : 'result.json'}`);
  const render = report ? '' : ` <span class="meta">(no report.html: <code>faultline report ${htmlText(directory)}/result.json</code>)</span>`;
  return `<li data-seed="${run.seed}"><a href="${target}"${report ? ' data-report' : ''}>seed ${run.seed}</a>: ${verdict}${render} <span class="detail">${htmlText(detail)}</span></li>`;
}

function histogramSvg(name: string, data: Histogram, unit: (value: number) => string): string {
  const width = 300;
  const height = 110;
  const plotHeight = 70;
  const bins = data.passed.length;
  const peak = Math.max(1, ...data.passed.map((count, bin) => count + data.failed[bin]!));
  const barWidth = width / bins;
  const bars: string[] = [];
  for (let bin = 0; bin < bins; bin++) {
    const passed = (data.passed[bin]! / peak) * plotHeight;
    const failed = (data.failed[bin]! / peak) * plotHeight;
    const x = (bin * barWidth).toFixed(1);
    const w = Math.max(1, barWidth - 1).toFixed(1);
    const title = `${unit(data.edges[bin]!)} – ${unit(data.edges[bin + 1]!)}: ${data.passed[bin]} passed, ${data.failed[bin]} failed`;
    if (passed > 0) bars.push(`<rect x="${x}" y="${(plotHeight - passed).toFixed(1)}" width="${w}" height="${passed.toFixed(1)}" fill="#6fbf73"><title>${htmlText(title)}</title></rect>`);
    if (failed > 0) bars.push(`<rect x="${x}" y="${(plotHeight - passed - failed).toFixed(1)}" width="${w}" height="${failed.toFixed(1)}" fill="#d9534f"><title>${htmlText(title)}</title></rect>`);
  }
  return `<figure data-metric="${htmlText(name)}"><figcaption>${htmlText(name)}</figcaption><svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">
<rect x="0" y="0" width="${width}" height="${plotHeight}" fill="#f6f7f9"/>${bars.join('')}
<text x="0" y="${plotHeight + 14}" font-size="10">${htmlText(unit(data.min))}</text><text x="${width}" y="${plotHeight + 14}" font-size="10" text-anchor="end">${htmlText(unit(data.max))}</text>
<text x="0" y="${plotHeight + 30}" font-size="10">median ${htmlText(unit(data.median))} · p99 ${htmlText(unit(data.p99))} · peak bin ${peak} seeds</text>
</svg></figure>`;
}

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record);
  return entries.length === 0 ? '-' : entries.map(([kind, count]) => `${kind} ${count}`).join(', ');
}

const styles = `
body { margin: 0; font: 13px system-ui, sans-serif; color: #222; }
header { padding: 8px 16px; border-bottom: 1px solid #ccc; }
main { padding: 8px 16px 32px; }
h1 { font-size: 16px; margin: 0 0 4px; }
h2 { font-size: 14px; margin: 18px 0 4px; }
h3 { font-size: 13px; margin: 10px 0 4px; }
.meta { color: #666; margin: 2px 0; }
.bad { color: #b00020; font-weight: bold; }
.good { color: #1b7f3b; font-weight: bold; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
td.n { text-align: right; }
ul.failures { padding-left: 18px; margin: 0; }
ul.failures li { margin: 2px 0; }
.detail { color: #555; word-break: break-word; }
.plots { display: flex; gap: 18px; flex-wrap: wrap; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: 2px; }
section { border-top: 1px solid #eee; margin-top: 12px; }
`;
