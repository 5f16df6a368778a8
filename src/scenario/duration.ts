import { type Micros, MICROS_PER_MS, MICROS_PER_SECOND, millis } from '../sim/time.js';

const UNITS: Record<string, number> = { us: 1, µs: 1, ms: MICROS_PER_MS, s: MICROS_PER_SECOND, m: 60 * MICROS_PER_SECOND };

/**
 * Parses `250ms`, `1.5s`, `80us`, `2m`; a bare number means milliseconds. Returns undefined for
 * anything else, so the caller can say what was expected.
 */
export function parseDuration(value: unknown): Micros | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? millis(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m)\s*$/.exec(value);
  if (match === null) return undefined;
  const [, amount, unit] = match;
  return Math.round(Number(amount) * (UNITS[unit as string] as number));
}
