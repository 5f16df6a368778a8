import seedrandom from 'seedrandom';
import { assert, fail } from '../util/assert.js';

const TWO_POW_32 = 0x1_0000_0000;
const S0 = 0;
const S1 = 1;
const S2 = 2;
const C = 3;

/**
 * A deterministic stream of random integers. Integer-only on purpose: probabilities are ratios
 * (`chance(1, 100)`), so no floating-point rounding can differ between machines.
 *
 * Each stream is an Alea generator seeded with `"<run seed>/<stream name>"`, so the stream for
 * `node/3` is fixed by the run seed alone and never shifts when another component draws more.
 */
export class RandomStream {
  // Alea's state: s0, s1, s2, c. seedrandom seeds it (Baagoe's Mash); `uint32` steps it here,
  // inline, because the network draws several numbers per message and a call through
  // seedrandom's closures costs more than the step itself. The sequence is seedrandom's, number
  // for number. A Float64Array, not four fields: V8 boxes a double stored in an object field, so
  // fields would allocate a heap number on every step (three times fewer draws per microsecond).
  private readonly state = new Float64Array(4);

  constructor(readonly seed: string) {
    const state = seedrandom.alea(seed, { state: true }).state();
    this.state[S0] = state.s0;
    this.state[S1] = state.s1;
    this.state[S2] = state.s2;
    this.state[C] = state.c;
  }

  /** A child stream whose draws are independent of this one's. */
  fork(name: string): RandomStream {
    return new RandomStream(`${this.seed}/${name}`);
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    return this.int32() >>> 0;
  }

  /**
   * The generator's step, as a signed 32-bit integer: always a small integer to V8, where an
   * unsigned one above 2^31 would be boxed as a heap number whenever it is returned from a call
   * that is not inlined.
   */
  private int32(): number {
    const state = this.state;
    const t = 2091639 * (state[S0] as number) + (state[C] as number) * 2.3283064365386963e-10; // 2^-32
    state[S0] = state[S1] as number;
    state[S1] = state[S2] as number;
    const c = t | 0;
    const s2 = t - c;
    state[C] = c;
    state[S2] = s2;
    return (s2 * TWO_POW_32) | 0;
  }

  /** A uniform integer in [0, bound), without modulo bias. */
  int(bound: number): number {
    if (bound !== this.lastBound) {
      if (bound > TWO_POW_32 && Number.isInteger(bound)) return this.bigInt(bound);
      this.setBound(bound);
    }
    const limit = this.lastLimit;
    for (;;) {
      const x = this.int32() >>> 0;
      // x % bound, but without the floating-point modulo a uint32 above 2^31 would cost (a
      // library call): the quotient of two integers below 2^53 is exact enough to floor.
      if (x < limit) return x - Math.floor(x / bound) * bound;
    }
  }

  // Rejection sampling draws below the largest multiple of the bound; networks ask for the same
  // bound (parts per million) message after message, so the limit is kept for the last bound.
  private lastBound = 0;
  private lastLimit = 0;

  private setBound(bound: number): void {
    if (!(Number.isInteger(bound) && bound > 0)) fail(`int bound must be a positive integer, got ${bound}`);
    this.lastBound = bound;
    this.lastLimit = TWO_POW_32 - (TWO_POW_32 % bound);
  }

  /** A uniform integer in [min, max], both inclusive. */
  range(min: number, max: number): number {
    if (!(Number.isInteger(min) && Number.isInteger(max))) fail(`range bounds must be integers, got ${min}..${max}`);
    if (min > max) fail(`range min ${min} exceeds max ${max}`);
    return min + this.int(max - min + 1);
  }

  /** True with probability numerator / denominator. */
  chance(numerator: number, denominator: number): boolean {
    if (!(denominator > 0 && numerator >= 0)) fail(`chance(${numerator}, ${denominator}) is not a probability`);
    if (numerator === 0) return false;
    if (numerator >= denominator) return true;
    return this.int(denominator) < numerator;
  }

  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** A new array with the items in a uniformly random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const result = items.slice();
    for (let i = result.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = result[i] as T;
      result[i] = result[j] as T;
      result[j] = tmp;
    }
    return result;
  }

  /** Bounds beyond 2^32 (long simulated durations): combine two draws, still unbiased. */
  private bigInt(bound: number): number {
    if (bound > Number.MAX_SAFE_INTEGER) fail(`int bound ${bound} exceeds 2^53`);
    const limit = Math.floor(Number.MAX_SAFE_INTEGER / bound) * bound;
    for (;;) {
      const x = (this.uint32() & 0x1f_ffff) * TWO_POW_32 + this.uint32();
      if (x < limit) return x % bound;
    }
  }
}

/** The root of a run's randomness: named streams derived from the run seed. */
export function rootStream(runSeed: number | string): RandomStream {
  return new RandomStream(`faultline:${runSeed}`);
}
