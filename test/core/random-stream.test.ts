import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { RandomStream, rootStream } from '../../src/random/random-stream.js';

describe('RandomStream', () => {
  it('is a pure function of its seed string', () => {
    const a = new RandomStream('x/1');
    const b = new RandomStream('x/1');
    const drawsA = Array.from({ length: 50 }, () => a.uint32());
    const drawsB = Array.from({ length: 50 }, () => b.uint32());
    expect(drawsA).toEqual(drawsB);
  });

  it('gives named streams that do not shift when a sibling stream draws more', () => {
    const root = rootStream(42);
    const clientAlone = root.fork('client/0');
    const expected = Array.from({ length: 20 }, () => clientAlone.int(1000));

    const root2 = rootStream(42);
    const nemesis = root2.fork('nemesis');
    for (let i = 0; i < 500; i++) nemesis.uint32(); // a fault added to the schedule draws here
    const client = root2.fork('client/0');
    expect(Array.from({ length: 20 }, () => client.int(1000))).toEqual(expected);
  });

  it('int(bound) stays in [0, bound) and range(min, max) is inclusive', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: -1000, max: 1000 }), (seed, bound, min) => {
        const random = new RandomStream(seed);
        const x = random.int(bound);
        const y = random.range(min, min + 5);
        return Number.isInteger(x) && x >= 0 && x < bound && y >= min && y <= min + 5;
      }),
    );
  });

  it('chance(n, d) matches its ratio over many draws', () => {
    const random = new RandomStream('chance');
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (random.chance(1, 4)) hits++;
    expect(hits).toBeGreaterThan(24_000);
    expect(hits).toBeLessThan(26_000);
    expect(random.chance(0, 5)).toBe(false);
    expect(random.chance(5, 5)).toBe(true);
  });

  it('shuffle is a permutation and pick returns a member', () => {
    const random = new RandomStream('shuffle');
    const items = [1, 2, 3, 4, 5, 6, 7];
    const shuffled = random.shuffle(items);
    expect([...shuffled].sort()).toEqual(items);
    expect(items).toContain(random.pick(items));
  });

  it('draws exactly the numbers of seedrandom\'s Alea for the same seed (traces stay comparable across versions)', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const ours = new RandomStream(seed);
        const reference = seedrandom.alea(seed);
        for (let i = 0; i < 50; i++) expect(ours.uint32()).toBe(reference.int32() >>> 0);
      }),
      { numRuns: 50 },
    );
  });

  it('int(bound) is the unbiased rejection sample x % bound, bound after bound', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.integer({ min: 1, max: 2 ** 32 }), { minLength: 1, maxLength: 20 }), (seed, bounds) => {
        const ours = new RandomStream(seed);
        const reference = seedrandom.alea(seed);
        for (const bound of [...bounds, ...bounds]) {
          const limit = 2 ** 32 - (2 ** 32 % bound);
          let x = reference.int32() >>> 0;
          while (x >= limit) x = reference.int32() >>> 0;
          expect(ours.int(bound)).toBe(x % bound);
        }
      }),
      { numRuns: 100 },
    );
  });
});
