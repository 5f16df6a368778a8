import type { NodeId } from '../protocol/effects.js';
import type { ClusterView } from './observer.js';

/** How a measure is reported: milliseconds of simulated time, a rate per simulated hour, or a count. */
export type MeasureUnit = 'ms' | 'per-hour' | 'count';

/** What happened to a node, as the world tells a meter (the protocol never learns it). */
export type NodeEvent = 'crash' | 'restart' | 'pause' | 'resume';

/**
 * A protocol's measurements of a run (e.g. a failure detector's detection times). A meter sees
 * what observers see, plus the moments nodes crash, restart, pause and resume, which only the
 * world knows. It never fails a run and changes no trace hash: its samples are reported in the
 * run summary (`RunResult.measures`) and pooled per scenario by a sweep.
 */
export interface Meter<State> {
  /** Every measure it reports: name → unit and one line of documentation. */
  readonly measures: Readonly<Record<string, { unit: MeasureUnit; doc: string }>>;
  /** After a node handled an input (or restarted). */
  afterStep?(view: ClusterView<State>, node: NodeId): void;
  /** A node crashed (called before its state is dropped), restarted, paused or resumed. */
  onNodeEvent?(view: ClusterView<State>, node: NodeId, event: NodeEvent): void;
  /** The samples of each declared measure, once at the end of the run. */
  atEnd(view: ClusterView<State>): Record<string, number[]>;
}

/** One measure of a run, or the pooled samples of many runs. */
export interface MeasureSamples {
  unit: MeasureUnit;
  /** Ascending. */
  samples: number[];
}

export function summarizeSamples(samples: readonly number[]): { count: number; min: number; median: number; p90: number; max: number; mean: number } | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { count: sorted.length, min: sorted[0]!, median: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1]!, mean };
}

/** `detection-ms  n=4  min 31  median 42  p90 55  max 55  mean 43.5` */
export function formatMeasure(name: string, measure: MeasureSamples): string {
  const summary = summarizeSamples(measure.samples);
  const unit = measure.unit === 'count' ? '' : ` ${measure.unit}`;
  if (summary === undefined) return `${name}: no samples`;
  const round = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
  if (summary.count === 1) return `${name}: ${round(summary.min)}${unit}`;
  return `${name}: n=${summary.count} min ${round(summary.min)} median ${round(summary.median)} p90 ${round(summary.p90)} max ${round(summary.max)} mean ${round(summary.mean)}${unit}`;
}
