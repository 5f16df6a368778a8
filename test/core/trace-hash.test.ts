import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceHash } from '../../src/trace/trace-hash.js';

describe('TraceHash', () => {
  it('mixes an integer exactly as it mixes the integer written in decimal', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer(), fc.maxSafeInteger(), fc.constantFrom(0, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, -0)), (value) => {
        const direct = new TraceHash();
        const viaText = new TraceHash();
        direct.mixDecimal(value);
        viaText.mixString(String(value));
        expect(direct.hex()).toBe(viaText.hex());
      }),
    );
  });

  it('tells apart what it mixes', () => {
    const a = new TraceHash();
    const b = new TraceHash();
    a.mixDecimal(12);
    b.mixDecimal(21);
    expect(a.hex()).not.toBe(b.hex());
  });
});
