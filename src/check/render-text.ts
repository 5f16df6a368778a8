import type { CheckedHistory } from './check-history.js';
import { describeOperation } from './describe.js';
import type { AnyModel } from './model.js';
import type { Operation } from './operation.js';
import type { DecidedBy, PartitionResult } from './result.js';
import { unreachable } from '../util/assert.js';
import { describeFailSemantics } from './semantics.js';

export interface ReportContext {
  readonly file?: string;
  readonly format?: string;
  readonly html?: string;
  /** From the parser: things that did not stop the check (e.g. :time going backwards). */
  readonly warnings?: readonly string[];
  /** Nemesis events the parser skipped. */
  readonly nemesisEvents?: number;
}

/** How many operations of a long prefix the text report prints (all of them are in --json). */
const prefixTail = 12;

/** The human-readable report `faultline check` prints: verdict, partitions, explanation. */
export function renderCheckReport(result: CheckedHistory, model: AnyModel, context: ReportContext = {}): string {
  const lines: string[] = [];
  const indeterminate = result.partitions.reduce((sum, partition) => sum + partition.indeterminateCount, 0);
  const dropped = result.partitions.reduce((sum, partition) => sum + partition.droppedIndeterminateCount, 0);
  if (context.file !== undefined) lines.push(`history: ${context.file} (${context.format ?? 'events'}, model ${model.name}: ${model.summary})`);
  for (const warning of context.warnings ?? []) lines.push(`warning: ${warning}`);
  lines.push(`failed operations: ${describeFailSemantics(result.failSemantics)}`);
  if (result.operations.length === 0 && result.ignoredCount === 0) {
    const nemesis = context.nemesisEvents ?? 0;
    lines.push(`no client operations${nemesis > 0 ? ` (only ${nemesis} nemesis events)` : ''}: trivially linearizable`);
  }
  lines.push(
    `operations: ${result.operationCount} checked, ${indeterminate} indeterminate (${dropped} unobservable, dropped), ${result.ignoredCount} failed or ignored; ${result.partitions.length} partition${result.partitions.length === 1 ? '' : 's'}`,
  );
  lines.push(`verdict: ${result.verdict.toUpperCase()} (${result.elapsedMs.toFixed(1)} ms)`);
  lines.push('partitions:');
  for (const partition of result.partitions) lines.push('  ' + partitionLine(partition));
  const byId = new Map(result.operations.map((operation) => [operation.id, operation] as const));
  for (const partition of result.partitions) {
    if (partition.verdict === 'not linearizable') lines.push('', ...violationLines(partition, model, byId));
  }
  if (context.html !== undefined) lines.push('', `report: ${context.html}`);
  return lines.join('\n') + '\n';
}

function partitionLine(partition: PartitionResult): string {
  const key = partition.key === '' ? '(single object)' : `key ${JSON.stringify(partition.key)}`;
  const how = partition.decidedBy === 'search' ? `${partition.configurations} configurations` : `decided by ${describeDecidedBy(partition.decidedBy)}`;
  const facts = `${partition.operationCount} ops, ${how}, ${partition.elapsedMs.toFixed(1)} ms`;
  switch (partition.verdict) {
    case 'linearizable':
      return `${key}: linearizable (${facts})`;
    case 'not linearizable':
      return `${key}: NOT LINEARIZABLE (${facts})`;
    case 'unknown':
      return `${key}: unknown, ${partition.reason} (${facts})`;
    default:
      return unreachable(partition, 'partition result');
  }
}

/** The path that decided a partition, in words. */
export function describeDecidedBy(decidedBy: DecidedBy): string {
  switch (decidedBy) {
    case 'search':
      return 'the search';
    case 'unique values':
      return 'the unique-value fast path (zones), no search';
    case 'certificate':
      return "the run's certificate (its apply order, checked in one pass)";
    case 'optional adds':
      return 'the counter path (indeterminate adds as optional increments), no search';
    default:
      return unreachable(decidedBy, 'decided by');
  }
}

function violationLines(partition: PartitionResult & { verdict: 'not linearizable' }, model: AnyModel, byId: ReadonlyMap<number, Operation>): string[] {
  const violation = partition.violation;
  const key = partition.key === '' ? 'the history' : `key ${JSON.stringify(partition.key)}`;
  const lines = [`violation in ${key}:`, `  ${violation.summary}`];
  const shown = violation.prefix.slice(-prefixTail);
  const skipped = violation.prefix.length - shown.length;
  lines.push(`  longest linearizable prefix (${violation.prefix.length} operations${skipped > 0 ? `, last ${shown.length} shown` : ''}):`);
  if (skipped > 0) lines.push(`    … ${skipped} earlier operations`);
  for (const id of shown) lines.push(`    ${describeOperation(model, byId.get(id) as Operation)}`);
  lines.push(`  state after it: ${violation.stateDescription}`);
  lines.push('  operations that cannot be ordered next:');
  for (const blocked of violation.blocked) lines.push(`    ${blocked.description}: ${blocked.reason}`);
  return lines;
}

/** The result as plain JSON for --json: everything but the full operation list. */
export function checkResultJson(result: CheckedHistory, source: { file?: string; format: string; warnings?: readonly string[] }, model: AnyModel): unknown {
  const { operations: _operations, model: _model, ...rest } = result;
  return { file: source.file, format: source.format, warnings: source.warnings ?? [], ...rest, model: model.name };
}
