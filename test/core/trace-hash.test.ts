import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/history/operation.js';
import { TraceHash } from '../../src/trace/trace-hash.js';

function viaJsonText(value: Json | undefined): string {
  const hash = new TraceHash();
  hash.mixString(JSON.stringify(value) ?? 'undefined');
  return hash.hex();
}

function direct(value: Json | undefined): string {
  const hash = new TraceHash();
  hash.mixJson(value);
  return hash.hex();
}

/** Strings JSON must escape, or may: control characters, quote, backslash, lone and paired surrogates. */
const awkwardString = fc.constantFrom('', 'a"b', 'back\\slash', 'tab\there', 'nl\n', '\u0000', '\ud800', 'x\udc00', '😀', 'é', 'c3.17');

const integer = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer(), fc.maxSafeInteger(), fc.constantFrom(0, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, -0, 2 ** 53, 1e21, -1e21));

describe('TraceHash', () => {
  it('mixes a value exactly as it mixes its JSON text', () => {
    const value: fc.Arbitrary<Json | undefined> = fc.oneof(
      fc.jsonValue() as fc.Arbitrary<Json>,
      integer,
      fc.double(),
      awkwardString,
      fc.array(fc.oneof(fc.constant(null), awkwardString, integer, fc.string(), fc.boolean()), { maxLength: 4 }),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(value, (v) => {
        expect(direct(v)).toBe(viaJsonText(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('tells apart what it mixes', () => {
    expect(direct(12)).not.toBe(direct(21));
    expect(direct(['a', null])).not.toBe(direct([null, 'a']));
    expect(direct('12')).not.toBe(direct(12));
  });
});
