import type { RandomStream } from '../random/random-stream.js';
import { type Micros, toMillis } from '../sim/time.js';
import { unreachable } from '../util/assert.js';

/** How long a message takes on a link. All values in integer microseconds. */
export type LatencyDistribution =
  | { kind: 'constant'; value: Micros }
  | { kind: 'uniform'; min: Micros; max: Micros }
  /** `min` plus an exponential tail with the given mean above it. */
  | { kind: 'exponential'; min: Micros; mean: Micros }
  /** Log-normal, fitted so that half the messages take under `median` and 99% under `p99`. */
  | { kind: 'long-tail'; median: Micros; p99: Micros };

const TWO_POW_32 = 0x1_0000_0000;
const Z_99 = 2.3263478740408408; // the standard normal's 99th percentile

/** A uniform draw in (0, 1) built from an integer draw, so the stream stays integer-based. */
function unitInterval(random: RandomStream): number {
  return (random.uint32() + 0.5) / TWO_POW_32;
}

export function sampleLatency(distribution: LatencyDistribution, random: RandomStream): Micros {
  switch (distribution.kind) {
    case 'constant':
      return distribution.value;
    case 'uniform':
      return random.range(distribution.min, distribution.max);
    case 'exponential':
      return distribution.min + Math.round(-distribution.mean * Math.log(unitInterval(random)));
    case 'long-tail': {
      const mu = Math.log(distribution.median);
      const sigma = (Math.log(distribution.p99) - mu) / Z_99;
      // Box–Muller: one standard normal from two uniforms.
      const z = Math.sqrt(-2 * Math.log(unitInterval(random))) * Math.cos(2 * Math.PI * unitInterval(random));
      return Math.max(0, Math.round(Math.exp(mu + sigma * z)));
    }
    default:
      return unreachable(distribution, 'latency distribution');
  }
}

export function describeLatency(distribution: LatencyDistribution): string {
  const ms = (t: Micros) => `${toMillis(t)}ms`;
  switch (distribution.kind) {
    case 'constant':
      return `constant ${ms(distribution.value)}`;
    case 'uniform':
      return `uniform ${ms(distribution.min)}..${ms(distribution.max)}`;
    case 'exponential':
      return `exponential min ${ms(distribution.min)} mean +${ms(distribution.mean)}`;
    case 'long-tail':
      return `long-tail median ${ms(distribution.median)} p99 ${ms(distribution.p99)}`;
    default:
      return unreachable(distribution, 'latency distribution');
  }
}
