import { unreachable } from '../../util/assert.js';
import type { ConsistencyReport } from './check-consistency.js';
import type { ModelVerdict } from './models.js';

/** One line per model: "sequential           holds (3.1 ms)". */
export function verdictLine(verdict: ModelVerdict): string {
  const name = verdict.model.padEnd(20);
  switch (verdict.verdict) {
    case 'holds':
      return `${name} holds${verdict.impliedBy === undefined ? ` (${verdict.elapsedMs.toFixed(1)} ms)` : ` (implied by ${verdict.impliedBy})`}`;
    case 'violated':
      return `${name} VIOLATED${verdict.impliedBy === undefined ? ` (${verdict.elapsedMs.toFixed(1)} ms)` : ` (implied by ${verdict.impliedBy})`}`;
    case 'unknown':
      return `${name} unknown: ${verdict.reason}`;
    default:
      return unreachable(verdict, 'model verdict');
  }
}

/** The strongest models that hold, as one phrase. */
export function strongestText(report: ConsistencyReport): string {
  if (report.strongest.length === 0) return 'none of the checked models';
  return report.strongest.join(', ');
}

/** The text `faultline check --consistency` prints: the ladder, then each violation explained. */
export function renderConsistencyReport(report: ConsistencyReport, context: { file?: string; format?: string; html?: string } = {}): string {
  const lines: string[] = [];
  if (context.file !== undefined) lines.push(`history: ${context.file} (${context.format ?? 'events'}, model ${report.dataModel})`);
  lines.push(`operations: ${report.operations.length} checked, ${report.ignoredCount} failed or ignored`);
  lines.push(`strongest that holds: ${strongestText(report)} (${report.elapsedMs.toFixed(1)} ms)`);
  lines.push('consistency:');
  for (const verdict of report.verdicts) lines.push('  ' + verdictLine(verdict));
  const violations = report.verdicts.filter((verdict) => verdict.verdict === 'violated' && verdict.impliedBy === undefined);
  for (const verdict of violations) {
    if (verdict.verdict !== 'violated') continue;
    lines.push('', `${verdict.model} violated:`, `  ${verdict.violation.summary}`, `  operations: ${verdict.violation.operations.map((id) => '#' + id).join(', ')}`);
  }
  if (context.html !== undefined) lines.push('', `report: ${context.html}`);
  return lines.join('\n') + '\n';
}

/** The report as plain JSON for --json: everything but the operation list and search details. */
export function consistencyReportJson(report: ConsistencyReport, source: { file?: string; format: string }): unknown {
  return { file: source.file, format: source.format, model: report.dataModel, strongest: report.strongest, verdicts: report.verdicts, operationCount: report.operations.length, ignoredCount: report.ignoredCount, elapsedMs: report.elapsedMs };
}
