import type { Micros } from '../sim/time.js';

const PPM = 1_000_000;

/**
 * A node's local clock: simulated time seen through an offset (skew) and a rate error (drift, in
 * parts per million). Protocols read only this clock, so a skewed node's timers fire early or
 * late in simulated time, exactly as on a machine whose clock is off.
 */
export class NodeClock {
  private baseGlobal: Micros = 0;
  private baseLocal: Micros = 0;
  private driftPpm = 0;

  local(global: Micros): Micros {
    const elapsed = global - this.baseGlobal;
    return this.baseLocal + elapsed + Math.floor((elapsed * this.driftPpm) / PPM);
  }

  /** How much simulated time passes while this clock advances by `localDelay`. */
  globalDelay(localDelay: Micros): Micros {
    if (this.driftPpm === 0) return localDelay;
    return Math.max(0, Math.ceil((localDelay * PPM) / (PPM + this.driftPpm)));
  }

  /** Steps the clock by `offset` (NTP step) and sets its rate error from now on. */
  adjust(global: Micros, offset: Micros, driftPpm: number): void {
    this.baseLocal = this.local(global) + offset;
    this.baseGlobal = global;
    this.driftPpm = driftPpm;
  }

  get drift(): number {
    return this.driftPpm;
  }

  reset(): void {
    this.baseGlobal = 0;
    this.baseLocal = 0;
    this.driftPpm = 0;
  }
}
