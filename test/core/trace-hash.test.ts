import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/history/operation.js';
import { Trace } from '../../src/trace/trace.js';
import type { TraceEvent } from '../../src/trace/trace-event.js';
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

describe('Trace', () => {
  const message = { type: 'append' };
  const events: TraceEvent[] = [
    { kind: 'send', time: 5, from: 0, to: 3, message },
    { kind: 'deliver', time: 2 ** 33, from: 3, to: 0, message },
    { kind: 'duplicate', time: 7, from: 300, to: 1, message }, // a node number too big to pack
  ];

  it('hashes a message event the same on the hot path as through record()', () => {
    const hot = new Trace(false);
    const recorded = new Trace(false);
    for (const event of events) {
      if (event.kind !== 'send' && event.kind !== 'deliver' && event.kind !== 'duplicate') throw new Error('message events only');
      hot.message(event.kind, event.time, event.from, event.to, event.message, -1);
      recorded.record(event);
    }
    expect(hot.hashHex()).toBe(recorded.hashHex());
  });

  it('tells message events apart by kind, nodes, type and time', () => {
    const hashOf = (event: TraceEvent) => {
      const trace = new Trace(false);
      trace.record(event);
      return trace.hashHex();
    };
    const base: TraceEvent = { kind: 'send', time: 5, from: 0, to: 3, message };
    const variants: TraceEvent[] = [
      base,
      { ...base, kind: 'deliver' },
      { ...base, from: 1 },
      { ...base, to: 4 },
      { ...base, time: 6 },
      { ...base, message: { type: 'heartbeat' } },
      { ...base, from: 300 },
    ];
    expect(new Set(variants.map(hashOf)).size).toBe(variants.length);
  });
});
