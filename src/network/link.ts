import type { Micros } from '../sim/time.js';
import type { LatencyDistribution } from './latency.js';

/** Probabilities are integer parts per million, so every draw is an integer ratio. */
export const PPM = 1_000_000;

/** The fault knobs of one directed link. */
export interface LinkSettings {
  latency: LatencyDistribution;
  lossPpm: number;
  duplicatePpm: number;
  /** A message picked for reordering is held back by `reorderDelay` more, so later ones overtake it. */
  reorderPpm: number;
  reorderDelay: Micros;
  /** Added to every message (a slow link or a latency spike). */
  extraDelay: Micros;
}

/** What happens to a message whose link is cut while it is in flight or when it is sent. */
export type PartitionMode = 'drop' | 'hold';

export interface NetworkCounters {
  sent: number;
  delivered: number;
  duplicated: number;
  reordered: number;
  held: number;
  droppedLoss: number;
  droppedPartition: number;
  droppedNodeDown: number;
}

export function emptyCounters(): NetworkCounters {
  return { sent: 0, delivered: 0, duplicated: 0, reordered: 0, held: 0, droppedLoss: 0, droppedPartition: 0, droppedNodeDown: 0 };
}

export function droppedTotal(counters: NetworkCounters): number {
  return counters.droppedLoss + counters.droppedPartition + counters.droppedNodeDown;
}
