import type { Micros } from '../sim/time.js';

const UNITS: Record<string, number> = { us: 1, µs: 1, ms: 1_000, s: 1_000_000, m: 60_000_000 };

/**
 * Parses `250ms`, `1.5s`, `80us`, `2m`; a bare number means milliseconds. Returns undefined for
 * anything else, so the caller can say what was expected.
 */
export function parseDuration(value: unknown): Micros | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1_000) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m)\s*$/.exec(value);
  if (match === null) return undefined;
  const [, amount, unit] = match;
  return Math.round(Number(amount) * (UNITS[unit as string] as number));
}
