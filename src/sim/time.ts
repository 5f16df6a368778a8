/** Simulated time: integer microseconds since the start of the run. Never wall-clock time. */
export type Micros = number;

export const MICROS_PER_MS = 1_000;
export const MICROS_PER_SECOND = 1_000_000;

export function millis(ms: number): Micros {
  return Math.round(ms * MICROS_PER_MS);
}

/** Simulated microseconds as (possibly fractional) milliseconds, for display and for ms-valued measures. */
export function toMillis(t: Micros): number {
  return t / MICROS_PER_MS;
}

export function seconds(s: number): Micros {
  return Math.round(s * MICROS_PER_SECOND);
}

/** `12.345678s`: fixed precision so the rendering is stable across runs and machines. */
export function formatMicros(t: Micros): string {
  const sign = t < 0 ? '-' : '';
  const abs = Math.abs(t);
  const whole = Math.floor(abs / MICROS_PER_SECOND);
  const frac = String(abs % MICROS_PER_SECOND).padStart(6, '0');
  return `${sign}${whole}.${frac}s`;
}
