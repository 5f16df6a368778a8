import { droppedTotal } from '../network/link.js';
import type { RunResult } from '../run/run-result.js';
import type { VerdictKind } from '../scenario/scenario.js';
import { formatMicros, toMillis } from '../sim/time.js';
import { formatMeasure } from '../invariants/meter.js';

export interface Painter {
  good(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export const plainPainter: Painter = { good: (t) => t, bad: (t) => t, dim: (t) => t, bold: (t) => t };

const n = (value: number) => value.toLocaleString('en-US');

/** The terminal summary of one run. */
export function renderRunSummary(result: RunResult, paint: Painter, files: { result?: string; report?: string; replay?: string } = {}): string {
  const m = result.messages;
  const o = result.operations;
  const speed = result.wallMs > 0 ? ` (${(toMillis(result.simulatedTime) / result.wallMs).toFixed(0)}× real time)` : '';
  const lines = [
    paint.bold(`faultline run ${result.scenario} seed ${result.seed}`),
    row('scenario', result.scenarioFile ?? '(inline)'),
    row('simulated', `${formatMicros(result.simulatedTime)}   events ${n(result.events)}   wall ${(result.wallMs / 1000).toFixed(2)}s${speed}`),
    row(
      'messages',
      `sent ${n(m.sent)}  delivered ${n(m.delivered)}  dropped ${n(droppedTotal(m))} (loss ${n(m.droppedLoss)}, partition ${n(m.droppedPartition)}, node down ${n(m.droppedNodeDown)})  duplicated ${n(m.duplicated)}  reordered ${n(m.reordered)}  held ${n(m.held)}`,
    ),
    row('nodes', `crashes ${n(result.crashes)}  restarts ${n(result.restarts)}`),
    row('operations', `invoked ${n(o.invoked)}  ok ${n(o.ok)}  fail ${n(o.fail)}  info ${n(o.info)}  pending ${n(o.pending)}`),
  ];
  const lin = result.linearizability;
  if (lin !== undefined) {
    lines.push(row('linearizable', `${lin.verdict} (${lin.model}, ${n(lin.operations)} ops, ${lin.partitions} partitions, ${lin.elapsedMs} ms)`));
  }
  const consistency = result.consistency;
  if (consistency !== undefined) {
    const promised = consistency.verdicts.find((verdict) => verdict.model === consistency.promised);
    lines.push(row('consistency', `promised ${consistency.promised}: ${promised?.verdict ?? 'unknown'}; strongest that holds: ${consistency.strongest.join(', ') || 'none'} (${consistency.elapsedMs} ms)`));
    lines.push(row('', consistency.verdicts.map((verdict) => `${verdict.model} ${verdict.verdict}`).join(', ')));
  }
  const convergence = result.convergence;
  if (convergence !== undefined) lines.push(row('convergence', `${convergence.verdict} after ${formatMicros(convergence.settle)} quiet: ${convergence.detail}`));
  if (result.invariants.length > 0) lines.push(row('invariants', result.invariants.join(', ')));
  Object.entries(result.measures ?? {}).forEach(([name, measure], index) => lines.push(row(index === 0 ? 'measures' : '', formatMeasure(name, measure))));
  if (result.drawn !== undefined) {
    lines.push(row('swarm', Object.entries(result.drawn).map(([key, value]) => `${key}=${value}`).join('  ')));
  }
  const expected = result.verdict.kind === result.expected ? paint.dim(`(as expected)`) : paint.bad(`(expected ${result.expected})`);
  lines.push(row('verdict', `${paintVerdict(result.verdict.kind, paint)} ${expected}`));
  if (result.verdict.kind === 'pass' && result.expected !== 'pass') {
    lines.push(row('', paint.bad(`the scenario expects ${result.expected}, and this seed passed: the failure was not reproduced`)));
  }
  if (result.verdict.detail !== '') lines.push(row('', result.verdict.detail));
  for (const frame of result.verdict.where ?? []) lines.push(row('', paint.dim(frame)));
  lines.push(row('trace hash', result.traceHash));
  if (files.result !== undefined) lines.push(row('written', files.result));
  if (files.report !== undefined) lines.push(row('report', files.report));
  if (files.replay !== undefined) lines.push(row('replay', files.replay));
  return lines.join('\n') + '\n';
}

export function paintVerdict(kind: VerdictKind, paint: Painter): string {
  const label = kind.toUpperCase();
  return kind === 'pass' ? paint.good(label) : paint.bad(label);
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(12)} ${value}`;
}
