import { type Micros, millis, toMillis } from '../../sim/time.js';
import { assert } from '../../util/assert.js';
import type { FailoverOptions } from './options.js';

/**
 * What the manager knows about the primary's heartbeats: when it last heard one and, for the
 * φ-accrual detector, the recent inter-arrival times (a sliding window of at most `phiWindow`).
 */
export interface HeartbeatHistory {
  lastHeard: Micros;
  /** Inter-arrival times in milliseconds, oldest first. */
  intervals: number[];
}

/**
 * A fresh history, as if heartbeats had arrived every heartbeatMs ± a quarter (Akka's bootstrap
 * of the φ detector: without it, the first intervals would make φ jump).
 */
export function freshHistory(now: Micros, options: FailoverOptions): HeartbeatHistory {
  const estimate = options.heartbeatMs;
  return { lastHeard: now, intervals: [estimate - estimate / 4, estimate + estimate / 4] };
}

export function noteHeartbeat(history: HeartbeatHistory, now: Micros, options: FailoverOptions): void {
  // A clock stepped back makes the interval negative: it tells nothing, so it is not recorded.
  if (now >= history.lastHeard) history.intervals.push(toMillis(now - history.lastHeard));
  if (history.intervals.length > options.phiWindow) history.intervals.shift();
  history.lastHeard = now;
}

/**
 * φ (Hayashibara, Défago, Yared, Katayama, "The φ accrual failure detector", SRDS 2004, §3):
 * φ(t) = −log10(P_later(t − T_last)), where P_later is the probability, under a normal
 * distribution fitted to the recent inter-arrival times, that the next heartbeat comes later
 * than it has so far. The normal tail uses the logistic approximation Akka uses, which stays
 * finite far into the tail.
 */
export function phi(history: HeartbeatHistory, now: Micros, options: FailoverOptions): number {
  const n = history.intervals.length;
  assert(n > 0, 'the history is never empty');
  const mean = history.intervals.reduce((sum, value) => sum + value, 0) / n;
  const variance = history.intervals.reduce((sum, value) => sum + (value - mean) * (value - mean), 0) / n;
  const std = Math.max(Math.sqrt(variance), options.phiMinStdDevMs);
  const elapsed = toMillis(now - history.lastHeard);
  const y = (elapsed - mean) / std;
  const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
  return elapsed > mean ? -Math.log10(e / (1 + e)) : -Math.log10(1 - 1 / (1 + e));
}

/** Whether the configured detector suspects the primary now. */
export function suspects(history: HeartbeatHistory, now: Micros, options: FailoverOptions): boolean {
  if (options.detector === 'fixed') return now - history.lastHeard > millis(options.timeoutMs);
  return phi(history, now, options) >= options.phiThreshold;
}
