import { escapeBidi } from '../util/bidi.js';
import type { Comparison, ProtocolComparison } from './compare-protocols.js';

/** One row per measure, one column per protocol: the same layout for the terminal and markdown. */
function rows(comparison: Comparison): { label: string; cells: string[] }[] {
  const protocols = comparison.protocols;
  const models = [...new Set(protocols.flatMap((protocol) => Object.keys(protocol.consistency)))];
  const cell = (render: (protocol: ProtocolComparison) => string) => protocols.map(render);
  return [
    { label: 'options', cells: cell((p) => p.options) },
    { label: 'verdicts', cells: cell((p) => Object.entries(p.verdicts).map(([kind, count]) => `${kind} ${count}`).join(', ')) },
    ...models.map((model) => ({ label: model, cells: cell((p) => modelCell(p, model)) })),
    { label: 'availability', cells: cell((p) => `${(p.availability * 100).toFixed(1)}%`) },
    { label: 'latency p50', cells: cell((p) => ms(p.latencyMs.p50)) },
    { label: 'latency p99', cells: cell((p) => ms(p.latencyMs.p99)) },
    { label: 'latency max', cells: cell((p) => ms(p.latencyMs.max)) },
    { label: 'messages / write', cells: cell((p) => (p.messagesPerWrite === undefined ? '-' : p.messagesPerWrite.toFixed(1))) },
    { label: 'leader changes / run', cells: cell((p) => p.leaderChanges.toFixed(1)) },
    { label: 'heal → write (median, max)', cells: cell((p) => pair(p.healToWriteMs)) },
    { label: 'leader crash → leader (median, max)', cells: cell((p) => pair(p.crashToLeaderMs)) },
  ];
}

function modelCell(protocol: ProtocolComparison, model: string): string {
  const counts = protocol.consistency[model];
  if (counts === undefined) return '-';
  const parts = [];
  if (counts.holds > 0) parts.push(`holds ${counts.holds}`);
  if (counts.violated > 0) parts.push(`violated ${counts.violated}`);
  if (counts.unknown > 0) parts.push(`unknown ${counts.unknown}`);
  return parts.join(', ');
}

function ms(value: number | undefined): string {
  return value === undefined ? '-' : `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
}

function pair(value: { median: number | undefined; max: number | undefined }): string {
  return value.median === undefined ? '-' : `${ms(value.median)}, ${ms(value.max)}`;
}

function title(comparison: Comparison): string {
  const seeds = comparison.seeds;
  const range = seeds.length > 1 && seeds[seeds.length - 1]! - seeds[0]! === seeds.length - 1 ? `${seeds[0]}..${seeds[seeds.length - 1]}` : seeds.join(', ');
  return `${escapeBidi(comparison.scenario)}, seeds ${range}`;
}

export function renderComparisonText(comparison: Comparison): string {
  const table = rows(comparison);
  const header = ['', ...comparison.protocols.map((p) => p.protocol)];
  const body = table.map((row) => [row.label, ...row.cells]);
  const widths = header.map((_, column) => Math.max(...[header, ...body].map((line) => line[column]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((text, column) => text.padEnd(widths[column]!)).join('  ').trimEnd();
  return [`faultline compare: ${title(comparison)}`, line(header), ...body.map(line), ''].join('\n');
}

export function renderComparisonMarkdown(comparison: Comparison): string {
  const escape = (text: string) => escapeBidi(text).replace(/\|/g, '\\|');
  const table = rows(comparison);
  const lines = [
    `| ${escape(comparison.scenario)} | ${comparison.protocols.map((p) => escape(p.protocol)).join(' | ')} |`,
    `|---|${comparison.protocols.map(() => '---').join('|')}|`,
    ...table.map((row) => `| ${row.label} | ${row.cells.map(escape).join(' | ')} |`),
  ];
  return lines.join('\n') + '\n';
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const html = (text: string) => escapeBidi(text).replace(/[&<>"']/g, (character) => htmlEscapes[character]!);

/**
 * A self-contained page: the table, and bar plots of availability and latency (p50, p99) per
 * protocol as inline SVG. No script, no network.
 */
export function renderComparisonHtml(comparison: Comparison): string {
  const table = rows(comparison);
  const head = `<tr><th></th>${comparison.protocols.map((p) => `<th>${html(p.protocol)}</th>`).join('')}</tr>`;
  const body = table.map((row) => `<tr><th>${html(row.label)}</th>${row.cells.map((c) => `<td>${html(c)}</td>`).join('')}</tr>`).join('\n');
  const availability = bars('availability (%)', comparison.protocols.map((p) => ({ label: p.protocol, values: [p.availability * 100] })), ['ok share']);
  const latency = bars(
    'latency of ok operations (ms)',
    comparison.protocols.map((p) => ({ label: p.protocol, values: [p.latencyMs.p50 ?? 0, p.latencyMs.p99 ?? 0] })),
    ['p50', 'p99'],
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>faultline compare: ${html(title(comparison))}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
thead th { background: #f2f2f2; }
svg text { font: 12px system-ui, sans-serif; }
</style></head>
<body>
<h1>faultline compare</h1>
<p>${html(title(comparison))}: the same faults at the same times and the same client requests for every protocol.</p>
<table data-comparison><thead>${head}</thead><tbody>
${body}
</tbody></table>
${availability}
${latency}
</body></html>
`;
}

const COLORS = ['#4878a8', '#d08040'];

function bars(caption: string, groups: { label: string; values: number[] }[], series: string[]): string {
  const width = 640;
  const rowHeight = 18 * series.length + 10;
  const height = groups.length * rowHeight + 40;
  const max = Math.max(1e-9, ...groups.flatMap((group) => group.values));
  const left = 120;
  const scale = (value: number) => ((width - left - 60) * value) / max;
  const parts: string[] = [];
  groups.forEach((group, index) => {
    const y = 30 + index * rowHeight;
    parts.push(`<text x="0" y="${y + 14}">${html(group.label)}</text>`);
    group.values.forEach((value, serie) => {
      const top = y + serie * 18;
      parts.push(`<rect x="${left}" y="${top}" width="${scale(value).toFixed(1)}" height="14" fill="${COLORS[serie % COLORS.length]}"><title>${html(series[serie]!)} ${value.toFixed(2)}</title></rect>`);
      parts.push(`<text x="${(left + scale(value) + 4).toFixed(1)}" y="${top + 12}">${value.toFixed(value < 10 ? 2 : 0)}</text>`);
    });
  });
  const legend = series.map((name, serie) => `<rect x="${left + serie * 90}" y="4" width="12" height="12" fill="${COLORS[serie % COLORS.length]}"/><text x="${left + serie * 90 + 16}" y="14">${html(name)}</text>`).join('');
  return `<figure><figcaption>${html(caption)}</figcaption><svg width="${width}" height="${height}" role="img">${legend}${parts.join('')}</svg></figure>`;
}
